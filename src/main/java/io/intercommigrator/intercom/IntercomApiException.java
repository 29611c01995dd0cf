package io.intercommigrator.intercom;

/**
 * An Intercom call that did not succeed. {@code status} is the HTTP status (0 when no response arrived),
 * {@code code} Intercom's error code ({@code errors[0].code}) when it sent one.
 */
public class IntercomApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String endpoint;

    public IntercomApiException(int status, String code, String message, String endpoint, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.endpoint = endpoint;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String endpoint() {
        return endpoint;
    }

    /** 4xx other than 401/403/429: retrying the same request cannot succeed; the record is dead-lettered at once. */
    public static final class Rejected extends IntercomApiException {
        public Rejected(int status, String code, String message, String endpoint) {
            super(status, code, message, endpoint, null);
        }
    }

    /** 5xx or a connection failure: retried with backoff. {@code ambiguous}: a write that may have been applied. */
    public static final class Transient extends IntercomApiException {
        private final boolean ambiguous;

        public Transient(int status, String code, String message, String endpoint, boolean ambiguous, Throwable cause) {
            super(status, code, message, endpoint, cause);
            this.ambiguous = ambiguous;
        }

        public boolean ambiguous() {
            return ambiguous;
        }
    }

    /** 401 or 403: the token or the plan is wrong for every record, so the run stops with one message. */
    public static final class AccessDenied extends IntercomApiException {
        public AccessDenied(int status, String code, String message, String endpoint) {
            super(status, code, message, endpoint, null);
        }
    }
}
