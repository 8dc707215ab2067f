package dev.microdiffusion.core.io;

import dev.microdiffusion.core.util.Messages;

/**
 * A checkpoint file that cannot be read or does not fit the model; the message says what and where, as one printable
 * line of bounded length (whatever of the file it quotes: a control character shows as its code).
 */
public final class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The longest message: a file cannot make an error long. */
    static final int MAX_MESSAGE = 1000;

    /**
     * A problem with the file named in {@code message}.
     *
     * @param message one line naming the file and what does not fit
     */
    public CheckpointException(String message) {
        super(Messages.printable(message, MAX_MESSAGE));
    }

    /**
     * A problem with the file named in {@code message}, found through {@code cause}.
     *
     * @param message one line naming the file and what does not fit
     * @param cause what was thrown while reading it
     */
    public CheckpointException(String message, Throwable cause) {
        super(Messages.printable(message, MAX_MESSAGE), cause);
    }
}
