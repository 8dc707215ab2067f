package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microdiffusion.core.TrainingSetting;
import dev.microdiffusion.examples.cli.MicroDiffusionCli;
import dev.microdiffusion.examples.cli.TrainCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    record Run(int exitCode, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MicroDiffusionCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The library's table of settings names the options; train has every one. */
    @Test
    void everyTrainingSettingIsAnOptionOfTrain() {
        Run help = cli("train", "--help");
        assertEquals(0, help.exitCode(), help.err());
        for (TrainingSetting setting : TrainingSetting.values()) {
            String option = TrainCommand.option(setting);
            assertTrue(help.out().contains(option + "="), setting + " is " + option);
        }
    }

    @Test
    void quietPrintsOnlyTheNamesAndTheSameSeedPrintsTheSameNames() {
        Run a = cli("train", "--steps", "40", "--samples", "7", "--seed", "5", "--quiet");
        Run b = cli("train", "--steps", "40", "--samples", "7", "--seed", "5", "--quiet");
        Run c = cli("train", "--steps", "40", "--samples", "7", "--seed", "6", "--quiet");
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(7, a.out().lines().count(), a.out());
        assertEquals(a.out(), b.out());
        assertNotEquals(a.out(), c.out());
    }

    @Test
    void showsTheForwardProcessTrainingNamesAndTheTemperatureSweep() {
        Run run = cli("train", "--denoiser", "mlp-skip", "--steps", "50", "--samples", "5");
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("forward process of"), out);
        assertTrue(out.contains("k  40  t 1.00  rate 1.000  ____________"), out);
        assertTrue(out.contains("step     50/50"), out);
        assertTrue(out.contains("5 names at temperature 0.80"), out);
        for (String tau : new String[] {"τ 0.5:", "τ 0.8:", "τ 1.0:", "τ 1.5:"}) {
            assertTrue(out.contains(tau), out);
        }
    }

    @Test
    void writesTheRunAsJson(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("sub/run.json");
        Run run = cli("train", "--steps", "250", "--samples", "4", "--report", report.toString(), "--quiet");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(1, json.get("seed").asLong());
        assertEquals("mlp", json.get("denoiser").asText());
        assertEquals(250, json.get("training").get("steps").asInt());
        assertEquals(4, json.get("loss").size(), "steps 0, 100, 200 and the last");
        assertEquals(249, json.get("loss").get(json.get("loss").size() - 1).get("step").asInt());
        assertTrue(json.get("loss_last_1000").asDouble() > 0);
        assertTrue(json.get("steps_per_second").asDouble() > 0);
        assertEquals(4, json.get("samples").size());
        assertTrue(json.get("train_names").asInt() > 4000);
        try (var files = Files.list(report.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void theRecipeIsChosenByNameAndAnUnknownOneIsRefused(@TempDir Path dir) throws IOException {
        Path reference = dir.resolve("reference.json");
        Path tuned = dir.resolve("tuned.json");
        assertEquals(0, cli("train", "--steps", "30", "--samples", "2", "--quiet", "--recipe", "reference",
                "--json", reference.toString()).exitCode());
        assertEquals(0, cli("train", "--steps", "30", "--samples", "2", "--quiet", "--recipe", "tuned",
                "--json", tuned.toString()).exitCode());
        JsonNode r = new ObjectMapper().readTree(reference.toFile()).get("training");
        JsonNode t = new ObjectMapper().readTree(tuned.toFile()).get("training");
        assertEquals("warmup-linear-decay", r.get("policy").asText());
        assertEquals(0.0, r.get("ema_decay").asDouble());
        assertEquals("warmup-cosine-decay", t.get("policy").asText());
        assertTrue(t.get("ema_decay").asDouble() > 0, t.toString());
        Run bad = cli("train", "--recipe", "fast");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("recipe must be reference or tuned, got 'fast'"), bad.err());
    }

    @Test
    void keepingLengthsIsOnByDefaultAndCanBeTurnedOff() {
        Run kept = cli("train", "--steps", "200", "--samples", "200", "--quiet", "--temperature", "0.5");
        Run tempered = cli("train", "--steps", "200", "--samples", "200", "--quiet", "--temperature", "0.5",
                "--no-keep-lengths");
        Run reference = cli("train", "--steps", "200", "--samples", "200", "--quiet", "--temperature", "0.5",
                "--reference-decoding", "--keep-lengths");
        assertEquals(0, kept.exitCode(), kept.err());
        assertEquals(0, reference.exitCode(), reference.err());
        double keptLength = kept.out().lines().mapToInt(String::length).average().orElseThrow();
        double temperedLength = tempered.out().lines().mapToInt(String::length).average().orElseThrow();
        // a low temperature makes PAD the likeliest token sooner when it is tempered: names come out shorter
        assertTrue(keptLength > temperedLength + 0.2, keptLength + " vs " + temperedLength);
    }

    @Test
    void anUnknownDenoiserListsTheAvailableOnes() {
        Run run = cli("train", "--denoiser", "gpt");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("no DenoiserProvider named 'gpt'; available: convolution, mlp, mlp-skip, neighbour, "
                + "text-transformer, timeless-transformer, transformer"), run.err());
    }

    @Test
    void aMissingOrEmptyCorpusIsAClearError(@TempDir Path dir) throws IOException {
        Run missing = cli("train", "--data", dir.resolve("nope.txt").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("no such corpus file"), missing.err());

        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n  \n");
        Run blank = cli("train", "--data", empty.toString());
        assertEquals(2, blank.exitCode());
        assertTrue(blank.err().contains("no non-blank line"), blank.err());
    }

    @Test
    void trainsOnAGivenFileAndReportsDroppedLines(@TempDir Path dir) throws IOException {
        Path data = Files.writeString(dir.resolve("names.txt"), "Anna\nbob\nwilhelminaaaaa\ncara\n");
        Run run = cli("train", "--data", data.toString(), "--steps", "20", "--samples", "3");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("2 names for training, 1 held out for validation, 1 longer than 12 dropped"), run.out());
        assertTrue(run.out().contains("vocabulary: 8 ids (abcnor + PAD + MASK)"), run.out());
    }

    @Test
    void badOptionValuesAreRejected() {
        assertEquals(2, cli("train", "--temperature", "0", "--steps", "5").exitCode());
        assertEquals(2, cli("train", "--steps", "0").exitCode());
        assertEquals(2, cli("train", "--samples", "-1").exitCode());
    }

    @Test
    void trainsOnARunningTextAndPrintsTheNelboInNatsAndBitsAndAPassage(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("play.txt"), TextCorpusTest.TEXT);
        Path json = dir.resolve("run.json");
        Run run = cli("train", "--text", text.toString(), "--max-length", "32", "--steps", "20", "--batch-size", "4",
                "--denoiser-option", "d_model=16", "--denoiser-option", "heads=2", "--denoiser-option", "layers=1",
                "--threads", "1", "--json", json.toString());
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("training windows of 32 (one at every offset of the first 90 %)"), out);
        assertTrue(out.contains("vocabulary: ") && out.contains("\\n"), "newline shown as \\n: " + out);
        assertTrue(out.matches("(?s).*validation NELBO: [0-9.]+ ± [0-9.]+ nats/char, [0-9.]+ ± [0-9.]+ bits/char.*"),
                out);
        assertTrue(out.contains("tokens/s  ETA "), out);
        assertTrue(out.contains("1 passage of 32 characters"), out);
        String report = Files.readString(json);
        assertTrue(report.contains("\"validation_nats_per_char\"") && report.contains("\"passages\""), report);
        String passage = out.substring(out.indexOf("--- 1 ---\n") + 10, out.lastIndexOf("\n---"));
        assertEquals(32, passage.codePointCount(0, passage.length()), "a text model fills its window: " + passage);
    }

    @Test
    void refusesATextWithDataOrABinaryFileBeforeAnyWork(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("play.txt"), TextCorpusTest.TEXT);
        Run both = cli("train", "--text", text.toString(), "--data", text.toString());
        assertEquals(2, both.exitCode());
        assertTrue(both.err().contains("--text trains on one running text"), both.err());
        Path binary = Files.write(dir.resolve("a.bin"), new byte[] {'a', 0, 'b'});
        Run bad = cli("train", "--text", binary.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("a.bin: line 1 holds a NUL byte"), bad.err());
        assertEquals(1, bad.err().lines().count(), bad.err());
    }
}
