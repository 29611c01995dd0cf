package io.intercommigrator.intercom;

/** The bearer token; its toString never shows it, so it cannot leak through a log or report by accident. */
public final class AccessToken {
    private final String value;

    public AccessToken(String value) {
        this.value = value;
    }

    public String authorizationHeader() {
        return "Bearer " + value;
    }

    /** Removes the token from text that might echo it (exception messages, server bodies). */
    public String redact(String text) {
        return text == null ? null : text.replace(value, "***");
    }

    @Override
    public String toString() {
        return "AccessToken[***]";
    }
}
