package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.microdiffusion.examples.cli.MicroDiffusionCli;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output that cannot be written is never lost silently: a bulk command whose standard output is a full disk stops
 * with one line naming standard output and the cause, exit 2 (run as its own process, on {@code /dev/full}).
 */
class OutputFailureTest {

    private static int runWithStdoutTo(File target, Path errFile, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), MicroDiffusionCli.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectOutput(target).redirectError(errFile.toFile()).start();
        return process.waitFor();
    }

    @Test
    void aFullDiskStopsSampleAndScoreWithOneLine(@TempDir Path dir) throws Exception {
        File full = new File("/dev/full");
        assumeTrue(full.exists(), "this system has no /dev/full");
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, TrainCommandTest.cli("train", "--steps", "5", "--samples", "0", "--threads", "1", "--save",
                model.toString()).exitCode());
        Path data = Files.writeString(dir.resolve("names.txt"), "anna\nbob\n");
        for (String[] args : new String[][] {{"sample", "--model", model.toString(), "--samples", "3"},
            {"score", "--model", model.toString(), "--data", data.toString()}}) {
            Path err = dir.resolve("err.txt");
            assertEquals(2, runWithStdoutTo(full, err, args), args[0]);
            List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("error: ")).toList();
            assertEquals(1, lines.size(), args[0] + ": " + Files.readString(err));
            assertTrue(lines.get(0).contains("cannot write to standard output (No space left on device)"),
                    lines.get(0));
        }
    }
}
