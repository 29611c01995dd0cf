package io.intercommigrator.intercom;

import io.intercommigrator.core.ExitCode;
import io.intercommigrator.core.RunControl;

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

    /** What the operator reads when Intercom refuses the token (401) or the app's plan or scopes (403). */
    public String accessDeniedMessage() {
        if (status == 401) {
            return "Intercom rejected INTERCOM_ACCESS_TOKEN (401 " + code + "): check the token and that it belongs to the "
                    + "workspace's region (intercom.region)";
        }
        return "Intercom refused access (403 " + code + ": " + getMessage() + "): the app's plan or scopes do not allow "
                + endpoint;
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
    public static final class AccessDenied extends IntercomApiException implements RunControl.Stopping {
        public AccessDenied(int status, String code, String message, String endpoint) {
            super(status, code, message, endpoint, null);
        }

        @Override
        public int exitCode() {
            return status() == 401 ? ExitCode.BAD_CONFIGURATION : ExitCode.REFUSED;
        }

        @Override
        public String stopMessage() {
            return accessDeniedMessage();
        }
    }
}
