package dev.microdiffusion.core;

import dev.microdiffusion.core.io.CheckpointException;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A small, {@link Serializable} name for a model file that a distributed job ships to its workers instead of the
 * model: the file's absolute path and SHA-256, or (for workers that cannot see the driver's file system) the file's
 * bytes themselves. A worker calls {@link #model()} and gets the JVM's one loaded copy ({@link SharedModels#jvm()}),
 * checked against the checksum, so every worker runs the model the driver checked.
 *
 * <pre>{@code
 * ModelHandle handle = ModelHandle.of(Path.of("model.safetensors"));   // on the driver: loads and checks the file
 * DiffusionModel model = handle.model();                                // on a worker: loaded once per JVM
 * }</pre>
 */
public final class ModelHandle implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The largest model a handle carries as bytes (a larger one is shipped as a file on shared storage). */
    public static final long MAX_EMBEDDED_BYTES = 256L << 20;

    /** The file's absolute path where the handle was made, or null when the handle carries the bytes. */
    private final String path;
    /** The SHA-256 of the file's bytes, lower-case hex. */
    private final String checksum;
    /** The file's bytes when the handle carries them, else null. */
    private final byte[] bytes;

    private ModelHandle(String path, String checksum, byte[] bytes) {
        this.path = path;
        this.checksum = checksum;
        this.bytes = bytes;
    }

    /**
     * A handle naming a file every worker can read at the same path (a shared or distributed file system, or a file
     * shipped with the job). The file is loaded here once, so a bad file fails now, before any work is handed out.
     *
     * @param file a model file
     * @throws IOException         if the file cannot be read
     * @throws CheckpointException naming the file and what does not fit
     * @return the handle
     */
    public static ModelHandle of(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        SharedModels.jvm().get(absolute);
        return new ModelHandle(absolute.toString(), SharedModels.checksum(absolute), null);
    }

    /**
     * A handle carrying the file's bytes, for workers that cannot read the driver's files; loaded here once so that
     * a bad file fails now.
     *
     * @param file a model file
     * @throws IOException         if the file cannot be read
     * @throws CheckpointException if it is no model, or larger than {@link #MAX_EMBEDDED_BYTES}
     * @return the handle
     */
    public static ModelHandle embedding(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        SharedModels.jvm().get(absolute);
        long size = Files.size(absolute);
        if (size > MAX_EMBEDDED_BYTES) {
            throw new CheckpointException(file + ": " + size + " bytes is more than a handle carries ("
                    + MAX_EMBEDDED_BYTES + "); put the file where every worker reads it and use ModelHandle.of");
        }
        byte[] bytes = Files.readAllBytes(absolute);
        return new ModelHandle(absolute.toString(), SharedModels.checksum(bytes), bytes);
    }

    /** {@return the model, loaded once per JVM (see {@link SharedModels#get(ModelHandle)})} */
    public DiffusionModel model() {
        return SharedModels.jvm().get(this);
    }

    /** {@return the file's absolute path where the handle was made} */
    public String path() {
        return path;
    }

    /** {@return the SHA-256 of the file's bytes, lower-case hex} */
    public String checksum() {
        return checksum;
    }

    /** {@return the file's bytes when the handle carries them (a copy)} */
    public Optional<byte[]> bytes() {
        return Optional.ofNullable(bytes).map(byte[]::clone);
    }

    /** The bytes carried, not copied, or null (for {@link SharedModels}). */
    byte[] carried() {
        return bytes;
    }

    @Override
    public String toString() {
        return "ModelHandle[" + path + ", sha256 " + checksum + (bytes != null ? ", " + bytes.length + " bytes" : "")
                + "]";
    }
}
