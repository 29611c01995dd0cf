package io.intercommigrator.mapping;

/** A record deliberately not delivered, with the reason that goes to the reconciliation queue. */
public record Skip(String reason) {
}
