package io.intercommigrator.core;

/** Ends the command with an exit code and a one-line reason on stderr. */
public final class MigratorExit extends RuntimeException {
    private final int code;

    public MigratorExit(int code, String reason) {
        super(reason);
        this.code = code;
    }

    public static MigratorExit badConfiguration(String reason) {
        return new MigratorExit(ExitCode.BAD_CONFIGURATION, reason);
    }

    public static MigratorExit refused(String reason) {
        return new MigratorExit(ExitCode.REFUSED, reason);
    }

    public int code() {
        return code;
    }
}
