package io.intercommigrator.mapping;

/** A timestamp value in none of the accepted formats. */
public class TimestampFormatException extends IllegalArgumentException {

    public TimestampFormatException(String message) {
        super(message);
    }
}
