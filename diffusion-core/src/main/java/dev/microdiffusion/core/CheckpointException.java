package dev.microdiffusion.core;

/** A checkpoint file that cannot be read or does not fit the model; the message says what and where. */
public final class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
