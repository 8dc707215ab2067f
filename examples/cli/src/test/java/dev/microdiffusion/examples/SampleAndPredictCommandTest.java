package dev.microdiffusion.examples;

import static dev.microdiffusion.examples.TrainCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.internal.training.Trainer;
import dev.microdiffusion.core.internal.training.TrainingState;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.examples.TrainCommandTest.Run;
import dev.microdiffusion.tokenizer.CharTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleAndPredictCommandTest {

    @TempDir
    static Path dir;

    static Path model;
    static String trainedNames;

    @BeforeAll
    static void trainAndSave() {
        model = dir.resolve("model.safetensors");
        Run run = cli("train", "--steps", "300", "--samples", "6", "--seed", "3", "--quiet", "--save", model.toString());
        assertEquals(0, run.exitCode(), run.err());
        trainedNames = run.out();
    }

    @Test
    void aSavedModelSamplesTheNamesTrainingPrinted() {
        Run run = cli("sample", "--model", model.toString(), "--samples", "6", "--seed", "3");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(trainedNames, run.out());
    }

    @Test
    void showStepsPrintsTheReverseProcess() {
        Run run = cli("sample", "--model", model.toString(), "--samples", "2", "--show-steps");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("k  40  ___________"), run.out());
        assertTrue(run.out().lines().filter(l -> l.startsWith("  k ")).count() >= 12, "one line per step until done");
    }

    @Test
    void predictShowsTheTopCandidatesOfEachMaskedPosition() {
        Run run = cli("predict", "--model", model.toString(), "--t", "0.5", "em__a");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("em__a....... at t = 0.50:", lines.get(0));
        assertEquals(3, lines.size(), run.out());
        assertTrue(lines.get(1).startsWith("  position  2:"), run.out());
        assertEquals(10, lines.get(1).substring(lines.get(1).indexOf(':') + 1).trim().split("\\s+").length,
                "five candidates with probabilities: " + lines.get(1));
    }

    @Test
    void predictJsonGivesEveryDistributionSummingToOne() throws IOException {
        Run run = cli("predict", "--model", model.toString(), "--json", "-", "E_a");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(12, json.get("positions").size());
        JsonNode second = json.get("positions").get(1);
        assertEquals("[MASK]", second.get("input").asText());
        assertEquals("e", json.get("positions").get(0).get("input").asText());
        assertEquals("[PAD]", json.get("positions").get(5).get("input").asText());
        for (JsonNode position : json.get("positions")) {
            double sum = 0;
            int keys = 0;
            for (Map.Entry<String, JsonNode> e : position.get("probabilities").properties()) {
                sum += e.getValue().asDouble();
                keys++;
            }
            assertEquals(28, keys);
            assertEquals(1.0, sum, 1e-9);
        }
        assertTrue(second.get("probabilities").has("[PAD]") && second.get("probabilities").has("[MASK]"));
    }

    @Test
    void badTemplatesAndFilesAreClearErrors() {
        Run tooLong = cli("predict", "--model", model.toString(), "abcdefghijklm_");
        assertEquals(2, tooLong.exitCode());
        assertTrue(tooLong.err().contains("longer than the model's 12 positions"), tooLong.err());
        Run noBlank = cli("predict", "--model", model.toString(), "emma");
        assertEquals(2, noBlank.exitCode());
        assertTrue(noBlank.err().contains("mark each position to predict with '_'"), noBlank.err());
        Run unknown = cli("predict", "--model", model.toString(), "a1_");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("'1'"), unknown.err());
        Run missing = cli("sample", "--model", dir.resolve("none.safetensors").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("no such file"), missing.err());
        Run conflict = cli("sample", "--model", model.toString(), "--vocabulary", "xyz");
        assertEquals(2, conflict.exitCode());
        assertTrue(conflict.err().contains("the file says vocabulary"), conflict.err());
    }

    /**
     * A run that "crashed" after saving at step 30 and is resumed from the command line prints what the
     * uninterrupted run prints.
     */
    @Test
    void resumingACrashedRunFromTheCommandLineEqualsTheUninterruptedRun() throws IOException {
        // the crashed run below trains on every name, so this one holds none out either
        Run uninterrupted = cli("train", "--denoiser", "mlp", "--recipe", "reference", "--steps", "60", "--seed", "4",
                "--samples", "5", "--quiet", "--validation", "0");
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());

        // what `train --steps 60 --seed 4 --save-every 30 --save FILE` leaves behind if the process dies at step 31
        List<String> names = DefaultCorpus.names();
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, "mlp");
        Tokenizer tokenizer = CharTokenizer.fit(names, 12);
        EncodedCorpus corpus = tokenizer.encodeCorpus(names);
        RandomStreams random = new RandomStreams(4);
        Denoiser denoiser = provider.create(provider.defaultConfig(tokenizer.vocabSize()), random.stream("init"));
        DiffusionModel crashed = new DiffusionModel(tokenizer, denoiser, new CosineSchedule(), 40);
        Trainer trainer = new Trainer(denoiser, crashed.schedule(), tokenizer.maskId(),
                provider.referenceTraining().withSteps(60));
        TrainingState state = trainer.start(corpus, random);
        Path file = dir.resolve("crashed.safetensors");
        assertThrows(IllegalStateException.class, () -> trainer.run(corpus, state, TrainingListener.NONE, 30, s -> {
            try {
                CheckpointFiles.save(file, crashed, s);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("crash");
        }));

        Run resumed = cli("train", "--resume", file.toString(), "--samples", "5", "--quiet");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertEquals(uninterrupted.out(), resumed.out());

        Run changed = cli("train", "--resume", file.toString(), "--steps", "80");
        assertEquals(2, changed.exitCode());
        assertTrue(changed.err().contains("--steps 80 (saved: 60) differs from the run saved in"), changed.err());
        Run noState = cli("train", "--resume", model.toString());
        assertEquals(2, noState.exitCode());
        assertTrue(noState.err().contains("no training state"), noState.err());
    }

    /** {@code --json -}: every reporting command writes its JSON alone on standard output. */
    @Test
    void everyReportGoesToStandardOutputAloneWithADash() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Run train = cli("train", "--steps", "20", "--samples", "3", "--json", "-");
        assertEquals(0, train.exitCode(), train.err());
        JsonNode run = json.readTree(train.out());
        assertEquals(3, run.get("samples").size());
        assertEquals("max-probability", run.get("sampling").get("confidence").asText(), "spelt as on the command line");
        assertTrue(run.get("train_names").asInt() > 0 && run.get("validation_names").asInt() > 0, train.out());

        Run sample = cli("sample", "--model", model.toString(), "--samples", "4", "--sampler", "threshold",
                "--threshold", "0.5", "--json", "-");
        assertEquals(0, sample.exitCode(), sample.err());
        JsonNode names = json.readTree(sample.out());
        assertEquals(4, names.get("names").size());
        assertEquals("0.5", names.get("sampler_options").get("threshold").asText());

        Run eval = cli("eval", "--model", model.toString(), "--samples", "20", "--nodes", "2", "--json", "-");
        assertEquals(0, eval.exitCode(), eval.err());
        JsonNode figures = json.readTree(eval.out());
        assertEquals(run.get("train_names").asInt(), figures.get("train_names").asInt(), "one name, one count");
        assertTrue(figures.get("validation_nelbo").get("bits_per_char").asDouble() > 0);

        Run predict = cli("predict", "--model", model.toString(), "--json", "-", "e_a");
        assertEquals(0, predict.exitCode(), predict.err());
        assertEquals(12, json.readTree(predict.out()).get("positions").size());

        Run saveToStdout = cli("train", "--steps", "2", "--save", "-");
        assertEquals(2, saveToStdout.exitCode());
        Run intoDirectory = cli("sample", "--model", model.toString(), "--json", dir.toString());
        assertEquals(2, intoDirectory.exitCode());
        assertTrue(intoDirectory.err().contains("is a directory"), intoDirectory.err());
    }

    @Test
    void theVersionIsTheBuildsAndAMistypedOptionGetsOneLine() {
        Run version = cli("-V");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().matches("microdiffusion \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\s*"), version.out());
        Run typo = cli("sample", "--modle", "x");
        assertEquals(2, typo.exitCode());
        assertEquals(2, typo.err().lines().count(), typo.err());
        assertTrue(typo.err().contains("--help"), typo.err());
    }

    @Test
    void editPrintsVariationsThatKeepTheKeptCharacters() throws IOException {
        Run edit = cli("edit", "--model", model.toString(), "--text", "Jessica", "--strength", "0.3", "--samples", "5");
        assertEquals(0, edit.exitCode(), edit.err());
        List<String> lines = edit.out().lines().toList();
        assertEquals(6, lines.size(), edit.out());
        for (String name : lines.subList(0, 5)) {
            assertEquals(7, name.length(), name);
        }
        assertTrue(lines.get(5).contains("differ from jessica"), lines.get(5));
        Run keep = cli("edit", "--model", model.toString(), "--keep", "je_s_ca", "--samples", "4", "--json", "-");
        assertEquals(0, keep.exitCode(), keep.err());
        for (JsonNode name : new ObjectMapper().readTree(keep.out()).get("names")) {
            assertTrue(name.asText().matches("je.s.ca"), name.asText());
        }
        assertEquals(2, cli("edit", "--model", model.toString(), "--keep", "je_s_ca", "--strength", "0.5").exitCode());
        assertEquals(2, cli("edit", "--model", model.toString(), "--text", "jo", "--keep", "j_").exitCode());
        Run set = cli("sample", "--model", model.toString(), "--template", "[aeiou]m__a", "--samples", "6");
        assertEquals(0, set.exitCode(), set.err());
        set.out().lines().forEach(n -> assertTrue(n.matches("[aeiou]m..a"), n));
    }

    @Test
    void aLabelledModelTrainsSamplesForALabelAndReportsTheGuidanceSweep() throws IOException {
        Path labelled = dir.resolve("labelled.safetensors");
        Run train = cli("train", "--labels", "--steps", "60", "--samples", "3", "--quiet", "--save", labelled.toString());
        assertEquals(0, train.exitCode(), train.err());
        Run male = cli("sample", "--model", labelled.toString(), "--label", "male", "--guidance", "2", "--samples", "5");
        assertEquals(0, male.exitCode(), male.err());
        assertEquals(5, male.out().lines().count());
        Run noLabel = cli("sample", "--model", labelled.toString(), "--guidance", "2");
        assertEquals(2, noLabel.exitCode());
        Run eval = cli("eval", "--model", labelled.toString(), "--labels", "--nodes", "2", "--samples", "20",
                "--guidance-sweep", "0,2", "--json", "-");
        assertEquals(0, eval.exitCode(), eval.err());
        JsonNode report = new ObjectMapper().readTree(eval.out());
        assertEquals(4, report.get("guidance_sweep").get("points").size(), "two labels × two γ");
        assertTrue(report.get("label_nelbo").has("male") && report.get("label_nelbo").has("female"));
        assertTrue(report.get("unconditional_nelbo").get("bits_per_char").asDouble() > 0);
        assertEquals(2, cli("eval", "--model", model.toString(), "--labels").exitCode(), "an unlabelled model");
        assertEquals(2, cli("train", "--label-dropout", "0.2", "--steps", "2").exitCode(), "dropout needs labels");
    }
}
