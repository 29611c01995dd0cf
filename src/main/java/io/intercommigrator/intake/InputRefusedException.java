package io.intercommigrator.intake;

/** A whole file or archive is refused; the message is the reason shown to the operator. */
public class InputRefusedException extends RuntimeException {

    public InputRefusedException(String message) {
        super(message);
    }

    public InputRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
