package dev.microdiffusion.examples;

import static dev.microdiffusion.examples.TrainCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.corpus.LabelledCorpus;
import dev.microdiffusion.core.io.CheckpointException;
import dev.microdiffusion.examples.TrainCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misuse ends in an exception that names the problem, and an output that cannot be written fails before the work. */
class MisuseTest {

    @TempDir
    Path dir;

    @Test
    void nullTextsAndArgumentsAreNamed() {
        NullPointerException text = assertThrows(NullPointerException.class,
                () -> TrainingRun.builder(Arrays.asList("anna", "bob", null)));
        assertEquals("corpus: text 3 is null", text.getMessage());
        assertEquals("corpus", assertThrows(NullPointerException.class,
                () -> TrainingRun.builder((List<String>) null)).getMessage());
        assertEquals("labels: element 2 is null", assertThrows(NullPointerException.class,
                () -> new LabelledCorpus(List.of("a", "b"), Arrays.asList("x", null))).getMessage());
        Generation.Builder g = TrainedModels.mlp().generation();
        assertEquals("template", assertThrows(NullPointerException.class, () -> g.template((String) null))
                .getMessage());
        assertEquals("prefix", assertThrows(NullPointerException.class, () -> g.prefix(null)).getMessage());
        assertEquals("sampler", assertThrows(NullPointerException.class, () -> g.sampler(null)).getMessage());
        assertEquals("label", assertThrows(NullPointerException.class, () -> g.label(null)).getMessage());
    }

    @Test
    void heldOutNamesTheCorpusItCannotUse() throws IOException {
        DiffusionModel model = TrainedModels.mlp();
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> model.evaluation().heldOut(TrainedModels.NAMES.subList(0, 700)));
        assertTrue(other.getMessage().contains("not the texts the model was trained on"), other.getMessage());
        Path file = dir.resolve("m.safetensors");
        model.save(file);
        DiffusionModel bare = new DiffusionModel(model.tokenizer(), model.denoiser(), model.schedule(),
                model.diffusionSteps());
        assertThrows(IllegalStateException.class, () -> bare.evaluation().heldOut(TrainedModels.NAMES));
        assertEquals(80, DiffusionModel.load(file).evaluation().heldOut(TrainedModels.NAMES).texts());
    }

    @Test
    void aRunSavesTheWayItWasSetUpAndALabelledModelEvaluatesByLabel() throws IOException {
        TrainingRun plain = TrainingRun.builder(TrainedModels.NAMES).steps(4).threads(1).build();
        plain.train();
        Path forSampling = dir.resolve("plain.safetensors");
        plain.save(forSampling);
        CheckpointException noState = assertThrows(CheckpointException.class,
                () -> TrainingRun.builder(TrainedModels.NAMES).resumeFrom(forSampling).build());
        assertTrue(noState.getMessage().contains("no training state"), "a model saved for sampling does not resume");
        Path resumable = dir.resolve("resumable.safetensors");
        TrainingRun checkpointed = TrainingRun.builder(TrainedModels.NAMES).steps(4).threads(1)
                .checkpointEvery(2, resumable).build();
        checkpointed.train();
        checkpointed.save(resumable);
        assertEquals(4, TrainingRun.builder(TrainedModels.NAMES).resumeFrom(resumable).build().step(),
                "a checkpointing run's last file resumes");

        DiffusionModel labelled = TrainedModels.labelled();
        var all = labelled.encode(TrainedModels.labelledCorpus());
        var figures = labelled.evaluation().seed(2).byLabel(all);
        assertEquals(labelled.labels(), List.copyOf(figures.keySet()));
        int id = 0;
        for (var e : figures.entrySet()) {
            var part = all.withLabel(id++);
            assertEquals(part.size(), e.getValue().texts());
            assertEquals(labelled.evaluation().seed(2).nelbo(part), e.getValue().conditional());
            assertEquals(labelled.evaluation().seed(2).unconditional().nelbo(part), e.getValue().unconditional());
        }
        assertThrows(IllegalArgumentException.class,
                () -> TrainedModels.mlp().evaluation().byLabel(TrainedModels.mlp().encode(TrainedModels.NAMES)));
    }

    @Test
    void aDirectoryIsNoModelFile() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> DiffusionModel.load(dir));
        assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("is a directory"),
                e.getMessage());
    }

    @Test
    void aCheckpointThatCannotBeWrittenFailsWhenTheRunIsBuilt() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        IOException e = assertThrows(IOException.class, () -> TrainingRun.builder(TrainedModels.NAMES)
                .checkpointEvery(10, file.resolve("sub/run.safetensors")).build());
        assertTrue(e.getMessage().contains("is a file, not a directory"), e.getMessage());
        Path nested = dir.resolve("new/deeper/run.safetensors");
        TrainingRun.builder(TrainedModels.NAMES).checkpointEvery(10, nested).build();
        assertTrue(Files.isDirectory(nested.getParent()), "the directories it goes in are made when the run is built");
    }

    @Test
    void trainRefusesEveryOutputItCannotWriteBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        for (String option : List.of("--save", "--json", "--plot")) {
            Run run = cli("train", "--steps", "200000", option, file.resolve("sub/out").toString());
            assertEquals(2, run.exitCode(), option);
            assertTrue(run.err().startsWith("error: " + option) && run.err().contains("is a file, not a directory"),
                    run.err());
            assertFalse(run.out().contains("step"), option + ": refused before any training step");
        }
    }
}
