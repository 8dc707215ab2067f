package dev.microdiffusion.examples.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.microdiffusion.core.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Where {@code --json FILE} goes: {@code -} is standard output (the JSON alone there); anything else through
 * {@link AtomicFiles}: a regular file whole or not at all, a pipe or a device directly.
 */
final class JsonOutput {

    /**
     * Made on the first write, not when a command checks its target: building the mapper loads some 390 Jackson
     * classes, which every run without {@code --json} paid for at start.
     */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT)
                // the stream is the writer's to close: it syncs the file first
                .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    }

    private JsonOutput() {
    }

    /** Whether the JSON goes to standard output, so nothing else may be printed there. */
    static boolean toStdout(Path target) {
        return target != null && target.toString().equals("-");
    }

    /** Refuses a target that cannot be written, before the work (creating the directories it goes in). */
    static void check(Path target, String option) {
        if (target == null || toStdout(target)) {
            return;
        }
        try {
            AtomicFiles.checkWritable(target);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    static void write(Path target, Object report, PrintWriter stdout) throws IOException {
        if (toStdout(target)) {
            stdout.println(Mapper.JSON.writeValueAsString(report));
            stdout.flush();
            return;
        }
        AtomicFiles.write(target, out -> Mapper.JSON.writeValue(out, report));
    }
}
