package io.intercommigrator.leaddesk;

/** One entry of custom_fields.json: which otherN column, its label and its LeadDesk type. */
public record CustomField(String field, String label, String type) {
}
