package dev.microdiffusion.examples;

import static dev.microdiffusion.examples.TrainCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microdiffusion.core.internal.checkpoint.Checkpoint;
import dev.microdiffusion.core.io.LoadOptions;
import dev.microdiffusion.examples.TrainCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvalAndInfillCommandTest {

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void trainAndSave() {
        model = dir.resolve("mdlm.safetensors");
        Run run = cli("train", "--steps", "300", "--samples", "20", "--seed", "2", "--objective", "mdlm", "--schedule",
                "polynomial", "--schedule-option", "exponent=1.5", "--eval-every", "100", "--eval-nodes", "4",
                "--save", model.toString(), "--plot", dir.resolve("train-plots").toString(),
                "--report", dir.resolve("run.json").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("step 200: validation NELBO"), run.out());
        assertTrue(run.out().contains("objective mdlm"), run.out());
    }

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    private static void assertPng(Path file) throws IOException {
        assertTrue(Files.exists(file), file + " missing");
        assertArrayEquals(PNG, Arrays.copyOf(Files.readAllBytes(file), 4), file + " is not a PNG");
    }

    @Test
    void trainingWroteItsChartsReportAndSettings() throws IOException {
        for (String chart : List.of("training", "schedule", "lengths", "reveal-order")) {
            assertPng(dir.resolve("train-plots").resolve(chart + ".png"));
        }
        JsonNode report = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals("mdlm", report.get("training").get("objective").asText(), "spelt as on the command line");
        assertEquals(3, report.get("validation_curve").size(), "two points during training and one at the end");
        double bpc = report.get("validation_nelbo").get("bits_per_char").asDouble();
        assertTrue(bpc > 1 && bpc < 6, "bits per char " + bpc);
        Checkpoint.Loaded loaded = Checkpoint.load(model, LoadOptions.none());
        assertEquals("polynomial", CheckpointFiles.model(loaded).schedule().name());
        assertEquals(Math.pow(0.5, 1.5), CheckpointFiles.model(loaded).schedule().rate(0.5), 1e-12, "the exponent was saved");
        assertEquals("0.1", loaded.metadata().get("run.validation"));
    }

    @Test
    void evalReportsTheSameNelboAsTrainingAndTheSampleQuality() throws IOException {
        Path json = dir.resolve("eval.json");
        Run run = cli("eval", "--model", model.toString(), "--nodes", "4", "--samples", "200", "--json", json.toString(),
                "--plot", dir.resolve("eval-plots").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode eval = new ObjectMapper().readTree(json.toFile());
        JsonNode trained = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals(trained.get("validation_nelbo").get("bits_per_char").asDouble(),
                eval.get("validation_nelbo").get("bits_per_char").asDouble(), 0,
                "same model, split and seed: the same figure");
        JsonNode q = eval.get("quality").get("quality");
        assertEquals(200, q.get("samples").asInt());
        for (String field : List.of("empty_fraction", "unique_fraction", "novel_fraction")) {
            double f = q.get(field).asDouble();
            assertTrue(f >= 0 && f <= 1, field + " " + f);
        }
        assertTrue(q.get("held_out_nats_per_char").asDouble() > 0);
        assertTrue(run.out().contains("4-gram Kneser–Ney NLL"), run.out());
        for (String chart : List.of("schedule", "lengths", "reveal-order")) {
            assertPng(dir.resolve("eval-plots").resolve(chart + ".png"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"confidence", "ancestral", "remask-lowconf", "remask-random", "threshold", "blocks", "first-hitting", "remdm"})
    void everySamplerKeepsATemplate(String sampler) {
        Run run = cli("sample", "--model", model.toString(), "--samples", "30", "--sampler", sampler,
                "--template", "m__a_", "--top-p", "0.9");
        assertEquals(0, run.exitCode(), run.err());
        List<String> names = run.out().lines().toList();
        assertEquals(30, names.size());
        for (String name : names) {
            assertTrue(name.matches("m..a."), sampler + " broke the template: " + name);
        }
        Run prefixed = cli("sample", "--model", model.toString(), "--samples", "30", "--sampler", sampler,
                "--prefix", "jo", "--suffix", "n", "--length", "6", "--top-k", "5", "--confidence", "margin");
        assertEquals(0, prefixed.exitCode(), prefixed.err());
        for (String name : prefixed.out().lines().toList()) {
            assertTrue(name.matches("jo...n"), sampler + ": " + name);
        }
    }

    @Test
    void templatesThatCannotFitGetAClearError() {
        Run unknown = cli("sample", "--model", model.toString(), "--template", "a_9_");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("'9' at position 3 of the template is not in the model's vocabulary"),
                unknown.err());
        Run tooLong = cli("sample", "--model", model.toString(), "--template", "a".repeat(13));
        assertEquals(2, tooLong.exitCode());
        assertTrue(tooLong.err().contains("longer than the model's 12 positions"), tooLong.err());
        Run suffix = cli("sample", "--model", model.toString(), "--suffix", "a");
        assertEquals(2, suffix.exitCode());
        assertTrue(suffix.err().contains("--suffix needs --length"), suffix.err());
        Run both = cli("sample", "--model", model.toString(), "--template", "a_", "--prefix", "a");
        assertEquals(2, both.exitCode());
        Run badMeasure = cli("sample", "--model", model.toString(), "--confidence", "vibes");
        assertEquals(2, badMeasure.exitCode());
        assertTrue(badMeasure.err().contains("known: max-probability, drawn-probability"), badMeasure.err());
    }

    @Test
    void evalSaysWhenItIsGivenOtherNames() throws IOException {
        Path other = Files.writeString(dir.resolve("other.txt"), "anna\nbob\ncara\ndora\nemma\n");
        Run run = cli("eval", "--model", model.toString(), "--data", other.toString(), "--nodes", "2", "--samples", "0");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("not the names the model was trained on"), run.out());
        Run same = cli("eval", "--model", model.toString(), "--nodes", "2", "--samples", "0");
        assertTrue(!same.out().contains("not the names"), same.out());
        Run noHeldOut = cli("train", "--steps", "5", "--validation", "0", "--eval-every", "2");
        assertEquals(2, noHeldOut.exitCode());
        assertTrue(noHeldOut.err().contains("--eval-every needs held-out names"), noHeldOut.err());
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Run badPlot = cli("eval", "--model", model.toString(), "--nodes", "2", "--samples", "5", "--plot", file.toString());
        assertEquals(2, badPlot.exitCode());
        assertTrue(badPlot.err().contains("it is a file, not a directory"), badPlot.err());
        Run single = cli("train", "--data", Files.writeString(dir.resolve("one.txt"), "anna\n").toString(), "--steps", "2");
        assertEquals(2, single.exitCode());
        assertTrue(single.err().contains("set the validation fraction to 0"), single.err());
    }

    @Test
    void anMdlmRunResumesWithItsRecipeAndRefusesAnother() {
        Path saved = dir.resolve("resumable.safetensors");
        Run first = cli("train", "--steps", "40", "--objective", "mdlm", "--save", saved.toString(), "--save-every", "20",
                "--samples", "3", "--quiet", "--seed", "5");
        assertEquals(0, first.exitCode(), first.err());
        Run other = cli("train", "--resume", saved.toString(), "--objective", "reference");
        assertEquals(2, other.exitCode());
        assertTrue(other.err().contains("--objective"), other.err());
        Run split = cli("train", "--resume", saved.toString(), "--validation", "0.2");
        assertEquals(2, split.exitCode());
        assertTrue(split.err().contains("--validation"), split.err());
        Run same = cli("train", "--resume", saved.toString(), "--samples", "3", "--quiet");
        assertEquals(0, same.exitCode(), same.err());
        assertEquals(first.out(), same.out(), "a finished run resumed prints the same names");
    }

    @Test
    void samplingStepsAndReferenceDecodingAreOptions() {
        Run run = cli("sample", "--model", model.toString(), "--samples", "3", "--sampling-steps", "5", "--show-steps");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("5 steps"), run.out());
        Run reference = cli("sample", "--model", model.toString(), "--samples", "3", "--reference-decoding");
        assertEquals(0, reference.exitCode(), reference.err());
    }
}
