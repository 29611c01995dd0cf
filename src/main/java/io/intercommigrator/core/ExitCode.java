package io.intercommigrator.core;

/** Exit codes of operator-contract.md. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_CONFIGURATION = 2;
    public static final int REFUSED = 3;

    private ExitCode() {
    }
}
