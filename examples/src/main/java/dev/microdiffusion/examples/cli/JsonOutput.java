package dev.microdiffusion.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where {@code --json FILE} goes: {@code -} is standard output (the JSON alone there); a regular file is written
 * whole or not at all (temporary file, then rename); anything else (a pipe, a device) is written directly.
 */
final class JsonOutput {

    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {
    }

    /** Whether the JSON goes to standard output, so nothing else may be printed there. */
    static boolean toStdout(Path target) {
        return target != null && target.toString().equals("-");
    }

    /** Refuses a target that cannot be written, before the work. */
    static void check(Path target, String option) {
        if (target == null || toStdout(target)) {
            return;
        }
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(option + " " + target + " is a directory");
        }
        Path dir = target.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir != null && !Files.isWritable(dir) && !(Files.exists(target) && !Files.isRegularFile(target))) {
            throw new IllegalArgumentException(option + " " + target + ": cannot write in " + dir);
        }
    }

    static void write(Path target, Object report, PrintWriter stdout) throws IOException {
        if (toStdout(target)) {
            stdout.println(JSON.writeValueAsString(report));
            stdout.flush();
            return;
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            try (OutputStream out = Files.newOutputStream(target)) {
                JSON.writeValue(out, report);
            } catch (IOException e) {
                throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
            }
            return;
        }
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Path tmp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
            try {
                JSON.writeValue(tmp.toFile(), report);
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
