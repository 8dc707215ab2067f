package dev.microdiffusion.core;

import dev.microdiffusion.core.io.CheckpointException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loaded models shared by everything in a JVM that asks for the same file: however many tasks or threads ask, a file
 * is loaded once and the one {@link DiffusionModel} (thread-safe) is handed to all of them. A file that has changed
 * since it was loaded (its size, modification time or, when those changed, its SHA-256) is loaded again, never served
 * stale. {@link #jvm()} is the instance a distributed job's workers share; {@link #close()} forgets every model.
 *
 * <pre>{@code
 * DiffusionModel model = SharedModels.jvm().get(Path.of("model.safetensors"));
 * }</pre>
 */
public final class SharedModels implements AutoCloseable {

    private static final SharedModels JVM = new SharedModels();

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong loads = new AtomicLong();

    /** A loaded model and what its file was when it was read. */
    private record Loaded(DiffusionModel model, long size, long modified, String checksum) {
    }

    /** One file's place: loading into it is serialised, so a file is read once however many ask at once. */
    private static final class Slot {
        private Loaded loaded;
    }

    /** A cache of its own (tests, or a process that wants to drop its models on close). */
    public SharedModels() {
    }

    /** {@return the JVM-wide instance} */
    public static SharedModels jvm() {
        return JVM;
    }

    /**
     * The model in {@code file}, loaded on the first call and again only when the file has changed.
     *
     * @param file a model file
     * @throws IOException         if the file cannot be read
     * @throws CheckpointException naming the file and what does not fit
     * @return the model, shared by every caller in this JVM
     */
    public DiffusionModel get(Path file) throws IOException {
        return entry(file).model();
    }

    /**
     * The model a handle names, from the file it names or the bytes it carries.
     *
     * @param handle a handle made on the driver
     * @throws CheckpointException if the file is not there, or its contents are no longer those the handle was made
     *                             from (checksums differ)
     * @return the model, shared by every caller in this JVM
     */
    public DiffusionModel get(ModelHandle handle) {
        try {
            if (handle.carried() != null) {
                Slot slot = slots.computeIfAbsent("sha256:" + handle.checksum(), k -> new Slot());
                synchronized (slot) {
                    if (slot.loaded == null) {
                        slot.loaded = fromBytes(handle.carried(), handle.checksum());
                    }
                    return slot.loaded.model();
                }
            }
            Loaded loaded = entry(Path.of(handle.path()));
            if (!loaded.checksum().equals(handle.checksum())) {
                throw new CheckpointException(handle.path() + ": the file has changed since the job's handle was made "
                        + "(SHA-256 " + loaded.checksum() + ", the handle's " + handle.checksum() + ")");
            }
            return loaded.model();
        } catch (IOException e) {
            throw new UncheckedIOException(handle.path() + ": " + e.getMessage(), e);
        }
    }

    /** {@return how many times this cache has read a model file (for tests and reports)} */
    public long loads() {
        return loads.get();
    }

    /** Forgets every model (they stay usable by whoever holds them); the next request loads again. */
    @Override
    public void close() {
        slots.clear();
    }

    private Loaded entry(Path file) throws IOException {
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new CheckpointException("no such file: " + file, e);
        }
        if (Files.isDirectory(real)) {
            throw new CheckpointException(file + ": is a directory, not a model file");
        }
        Slot slot = slots.computeIfAbsent(real.toString(), k -> new Slot());
        synchronized (slot) {
            BasicFileAttributes now = Files.readAttributes(real, BasicFileAttributes.class);
            Loaded old = slot.loaded;
            if (old != null && old.size() == now.size() && old.modified() == now.lastModifiedTime().toMillis()) {
                return old;
            }
            String checksum = checksum(real);
            if (old != null && old.checksum().equals(checksum)) {
                slot.loaded = new Loaded(old.model(), now.size(), now.lastModifiedTime().toMillis(), checksum);
                return slot.loaded;
            }
            DiffusionModel model = DiffusionModel.load(real);
            loads.incrementAndGet();
            if (!checksum(real).equals(checksum)) {
                throw new CheckpointException(file + ": the file changed while it was being loaded");
            }
            slot.loaded = new Loaded(model, now.size(), now.lastModifiedTime().toMillis(), checksum);
            return slot.loaded;
        }
    }

    private Loaded fromBytes(byte[] bytes, String expected) throws IOException {
        String checksum = checksum(bytes);
        if (!checksum.equals(expected)) {
            throw new CheckpointException("the model bytes of the handle do not match its checksum " + expected);
        }
        Path copy = Files.createTempFile("microdiffusion-model-", ".safetensors");
        try {
            Files.write(copy, bytes);
            DiffusionModel model = DiffusionModel.load(copy);
            loads.incrementAndGet();
            return new Loaded(model, bytes.length, 0, checksum);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** The SHA-256 of a file, in lower-case hex, read in blocks. */
    static String checksum(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] block = new byte[1 << 16];
            for (int n = in.read(block); n >= 0; n = in.read(block)) {
                digest.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String checksum(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
