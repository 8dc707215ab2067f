package dev.microdiffusion.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private static AtomicFiles.Body text(String s) {
        return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private long entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Path file = dir.resolve("report.json");
        AtomicFiles.write(file, text("old"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("No space left"), e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(1, entries());
    }

    @Test
    void leftoversOfAKilledWriteGoAndPermissionsStay() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.writeString(dir.resolve(".model.safetensors.k3j2.tmp"), "left by kill -9");
        Files.writeString(dir.resolve(".other.tmp"), "not ours");
        AtomicFiles.write(file, text("new"));
        assertFalse(Files.exists(dir.resolve(".model.safetensors.k3j2.tmp")));
        assertTrue(Files.exists(dir.resolve(".other.tmp")), "only this target's leftovers");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.write(file, text("newer"));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("newer", Files.readString(file));
    }

    @Test
    void aPipeIsWrittenDirectlyNotReplaced() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo here");
            return;
        }
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        AtomicFiles.write(fifo, text("through the pipe"));
        assertArrayEquals("through the pipe".getBytes(StandardCharsets.UTF_8), reader.get(10, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo), "still a pipe");
        assertThrows(IOException.class, () -> AtomicFiles.write(dir, text("x")), "a directory is refused");
    }

    @Test
    void aSecondWriterAtOnceIsRefusedNotRaced() throws IOException {
        Path file = dir.resolve("model.safetensors");
        AtomicFiles.write(file, text("first"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("second".getBytes(StandardCharsets.UTF_8));
            AtomicFiles.write(file, text("third, while the second writes"));
        }));
        assertTrue(e.getMessage().contains("another writer"), e.getMessage());
        assertEquals("first", Files.readString(file), "neither half-written nor raced");
        AtomicFiles.write(file, text("later"));
        assertEquals("later", Files.readString(file));
        assertEquals(1, entries(), "no lock or temporary file left");
    }
}
