package dev.microdiffusion.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files whole or not at all: into a temporary file beside the target, synced, then renamed over it, so that a
 * reader — or a crash, a full disk, a kill — never leaves half a file where a whole one was. A target that is not a
 * regular file (a pipe, a terminal, {@code /dev/stdout}) is written directly, since it cannot be replaced. A new file
 * gets the permissions the umask gives; an overwritten one keeps its own. Temporary files a killed write left behind
 * are removed by the next write of the same target. Two writers of one target at once do not race: the second is
 * refused while the first holds the target's lock file ({@code .NAME.lock}, removed after). Every failure names the
 * target and the cause.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** What writes the bytes. */
    @FunctionalInterface
    public interface Body {
        /**
         * Writes the whole content to {@code out}; whatever it throws leaves the target as it was.
         *
         * @param out the temporary file's stream
         * @throws IOException if the content cannot be written
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} with {@code body}.
     *
     * @param target the file to write
     * @param body writes the content
     * @throws IOException naming the target and the cause; the target is then as it was
     */
    public static void write(Path target, Body body) throws IOException {
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            if (Files.isDirectory(target)) {
                throw new IOException("cannot write " + target + ": it is a directory");
            }
            try (OutputStream out = Files.newOutputStream(target)) {
                body.write(out);
            } catch (IOException e) {
                throw new IOException("cannot write " + target + ": " + cause(e), e);
            }
            return;
        }
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        String prefix = "." + absolute.getFileName() + ".";
        Path tmp = null;
        Path lockFile = absolute.resolveSibling(prefix + "lock");
        FileChannel lockChannel = null;
        FileLock lock = null;
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockChannel.close();
                lockChannel = null;
                throw new IOException("another writer is writing it now");
            }
            if (dir != null) {
                removeLeftovers(dir, prefix);
            }
            tmp = absolute.resolveSibling(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                    + ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                body.write(out);
                out.flush();
                channel.force(true);
            }
            keepPermissions(absolute, tmp);
            try {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + cause(e), e);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
            if (lockChannel != null) {
                Files.deleteIfExists(lockFile);
                if (lock != null) {
                    lock.release();
                }
                lockChannel.close();
            }
        }
    }

    /**
     * Checks, before a long job, that {@link #write} of {@code target} can succeed at its end: the target is no
     * directory, the directories it goes in exist or are created now, and a file can be made there. A pipe or a
     * device passes (it is written directly).
     *
     * @param target the file a job will write at its end
     * @throws IOException naming the target and why it cannot be written
     */
    public static void checkWritable(Path target) throws IOException {
        if (Files.isDirectory(target)) {
            throw new IOException("cannot write " + target + ": it is a directory");
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            return;
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) {
            probe(target, dir);
        }
    }

    /**
     * Checks, before a long job, that files can be written into {@code dir}: it is a directory, or is created now
     * with its parents, and a file can be made in it.
     *
     * @param dir the directory a job will write into
     * @throws IOException naming the directory and why not
     */
    public static void checkWritableDirectory(Path dir) throws IOException {
        probe(dir, dir.toAbsolutePath());
    }

    /** Creates {@code dir} (and its parents) if need be, then a file in it, which it removes. */
    private static void probe(Path target, Path dir) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new IOException("cannot write " + target + ": " + (existing.equals(target.toAbsolutePath()) ? "it"
                    : existing.toString()) + " is a file, not a directory");
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".microdiffusion-", ".probe");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + cause(e), e);
        }
    }

    /** Temporary files of this target that a killed write left behind. */
    private static void removeLeftovers(Path dir, String prefix) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, glob(prefix) + "*.tmp")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    private static String glob(String literal) {
        StringBuilder out = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** An overwritten file keeps its permissions (where the file system has POSIX ones). */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.isRegularFile(target)) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(target);
            Files.setPosixFilePermissions(tmp, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the new file's own permissions stay
        }
    }

    /** The cause of an I/O failure in words: the exception's name when it says nothing else (a full disk's does). */
    private static String cause(IOException e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(Locale.ROOT);
        return message == null ? kind : e instanceof FileSystemException fs && fs.getReason() != null
                ? fs.getReason() + " (" + kind + ")" : message;
    }
}
