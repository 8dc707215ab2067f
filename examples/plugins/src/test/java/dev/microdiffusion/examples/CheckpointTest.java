package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.internal.checkpoint.Checkpoint;
import dev.microdiffusion.core.internal.checkpoint.SafeTensors;
import dev.microdiffusion.core.internal.checkpoint.Tensor;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.internal.training.Trainer;
import dev.microdiffusion.core.internal.training.TrainingState;
import dev.microdiffusion.core.io.CheckpointException;
import dev.microdiffusion.core.io.LoadOptions;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.core.training.TrainingResult;
import dev.microdiffusion.tokenizer.CharTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {

    @TempDir
    Path dir;

    private static final List<String> NAMES = DefaultCorpus.names().subList(0, 600);

    /** A small model of each denoiser (the Transformer narrowed so the test is quick). */
    private static DiffusionModel model(String name, long seed) {
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, name);
        Tokenizer tokenizer = CharTokenizer.fit(NAMES, provider.defaultMaxLength());
        // made by hand, not by a TrainingRun: the config is named so that the model can be saved
        DenoiserConfig config = provider.defaultConfig(tokenizer.vocabSize()).named(name);
        if (name.equals("transformer")) {
            config = config.with("d_model", 16).with("layers", 2);
        }
        Denoiser d = provider.create(config, new RandomStreams(seed).stream("init"));
        return new DiffusionModel(tokenizer, d, new CosineSchedule(), 20);
    }

    private static TrainingConfig recipe(String name, int steps) {
        return Registry.find(DenoiserProvider.class, name).referenceTraining().toBuilder().steps(steps).batchSize(16).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "mlp-skip", "transformer", "neighbour"})
    void saveThenLoadGivesTheSameModelAndTheSameNames(String name) throws IOException {
        DiffusionModel model = model(name, 1);
        EncodedCorpus corpus = model.tokenizer().encodeCorpus(NAMES);
        new Trainer(model.denoiser(), model.schedule(), model.tokenizer().maskId(), recipe(name, 30))
                .train(corpus, new RandomStreams(1), TrainingListener.NONE);
        Path file = dir.resolve(name + ".safetensors");
        CheckpointFiles.save(file, model);

        Checkpoint.Loaded loaded = Checkpoint.load(file, LoadOptions.none());
        assertNull(loaded.training());
        DiffusionModel back = CheckpointFiles.model(loaded);
        assertEquals(name, back.denoiser().name());
        assertEquals(model.denoiser().config(), back.denoiser().config());
        assertEquals(model.tokenizer().vocabulary(), back.tokenizer().vocabulary());
        assertEquals(20, back.diffusionSteps());
        for (int i = 0; i < model.denoiser().parameters().size(); i++) {
            assertArrayEquals(model.denoiser().parameters().get(i).values(), back.denoiser().parameters().get(i).values());
        }
        List<String> before = model.generation().count(40).temperature(0.8).seed(9).generate();
        List<String> after = back.generation().count(40).temperature(0.8).seed(9).generate();
        assertEquals(before, after);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp-skip", "transformer"})
    void resumingFromACheckpointEqualsAnUninterruptedRun(String name) throws IOException {
        int steps = 40;
        // uninterrupted
        DiffusionModel straight = model(name, 3);
        EncodedCorpus corpus = straight.tokenizer().encodeCorpus(NAMES);
        TrainingResult full = new Trainer(straight.denoiser(), straight.schedule(), straight.tokenizer().maskId(),
                recipe(name, steps)).train(corpus, new RandomStreams(3), TrainingListener.NONE);

        // stopped after 15 steps by a checkpoint every 15, then resumed from the file in a "new process"
        DiffusionModel first = model(name, 3);
        Trainer trainer = new Trainer(first.denoiser(), first.schedule(), first.tokenizer().maskId(), recipe(name, steps));
        TrainingState state = trainer.start(corpus, new RandomStreams(3));
        Path file = dir.resolve("run.safetensors");
        List<Integer> saves = new ArrayList<>();
        class Stop extends RuntimeException {
        }
        assertThrows(Stop.class, () -> trainer.run(corpus, state, TrainingListener.NONE, 15, s -> {
            try {
                CheckpointFiles.save(file, first, s);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            saves.add(s.step());
            throw new Stop();
        }));
        assertEquals(List.of(15), saves);

        Checkpoint.Loaded loaded = Checkpoint.load(file, LoadOptions.none());
        Checkpoint.SavedTraining saved = loaded.training();
        assertEquals(15, saved.step());
        DiffusionModel resumed = CheckpointFiles.model(loaded);
        Trainer again = new Trainer(resumed.denoiser(), resumed.schedule(), resumed.tokenizer().maskId(), saved.config());
        TrainingState restored = again.start(corpus, new RandomStreams(saved.seed()));
        saved.restoreInto(restored);
        TrainingResult rest = again.run(corpus, restored, TrainingListener.NONE, 0, s -> { });

        assertArrayEquals(full.losses(), rest.losses());
        assertEquals(25, rest.stepsTaken());
        for (int i = 0; i < straight.denoiser().parameters().size(); i++) {
            assertArrayEquals(straight.denoiser().parameters().get(i).values(),
                    resumed.denoiser().parameters().get(i).values(), straight.denoiser().parameters().get(i).name());
        }
    }

    @Test
    void resumingOnAnotherCorpusIsRefused() throws IOException {
        DiffusionModel model = model("mlp", 1);
        EncodedCorpus corpus = model.tokenizer().encodeCorpus(NAMES);
        Trainer trainer = new Trainer(model.denoiser(), model.schedule(), model.tokenizer().maskId(), recipe("mlp", 10));
        TrainingState state = trainer.start(corpus, new RandomStreams(1));
        trainer.run(corpus, state, TrainingListener.NONE, 0, s -> { });
        Path file = dir.resolve("run.safetensors");
        CheckpointFiles.save(file, model, state);
        Checkpoint.SavedTraining saved = Checkpoint.load(file, LoadOptions.none()).training();
        EncodedCorpus other = model.tokenizer().encodeCorpus(NAMES.subList(0, 100));
        TrainingState fresh = trainer.start(other, new RandomStreams(1));
        CheckpointException e = assertThrows(CheckpointException.class, () -> saved.restoreInto(fresh));
        assertTrue(e.getMessage().contains("another corpus"), e.getMessage());
    }

    /** Rewrites a saved model's tensors through {@code edit} and returns the error loading it gives. */
    private String loadError(Consumer<List<Tensor>> edit, Map<String, String> metaEdits,
            LoadOptions options) throws IOException {
        DiffusionModel model = model("mlp", 1);
        List<Tensor> tensors = new ArrayList<>();
        for (Parameter p : model.denoiser().parameters()) {
            tensors.add(Tensor.f32(p.name(), p.shape(), p.values()));
        }
        edit.accept(tensors);
        Path good = dir.resolve("good.safetensors");
        CheckpointFiles.save(good, model);
        Map<String, String> meta;
        try (SafeTensors.Reader r = SafeTensors.open(good)) {
            meta = new LinkedHashMap<>(r.metadata());
        }
        metaEdits.forEach((k, v) -> {
            if (v == null) {
                meta.remove(k);
            } else {
                meta.put(k, v);
            }
        });
        Path bad = dir.resolve("bad.safetensors");
        SafeTensors.write(bad, meta, tensors);
        return assertThrows(CheckpointException.class, () -> Checkpoint.load(bad, options)).getMessage();
    }

    @Test
    void tensorsThatDoNotFitTheModelAreReportedByName() throws IOException {
        String missing = loadError(t -> t.remove(2), Map.of(), LoadOptions.none());
        assertTrue(missing.contains("missing: W2") && !missing.contains("unknown"), missing);
        String renamed = loadError(t -> t.set(2, Tensor.f32("W2x", t.get(2).shape(), t.get(2).floats())), Map.of(),
                LoadOptions.none());
        assertTrue(renamed.contains("missing: W2") && renamed.contains("unknown: W2x"), renamed);

        String unknown = loadError(t -> t.add(Tensor.f32("extra.weight", new int[] {1}, new float[1])), Map.of(),
                LoadOptions.none());
        assertTrue(unknown.contains("unknown: extra.weight"), unknown);

        String shape = loadError(t -> t.set(1, Tensor.f32("b1", new int[] {255}, new float[255])), Map.of(),
                LoadOptions.none());
        assertTrue(shape.contains("tensor b1 has shape [255], the mlp model needs [256]"), shape);
    }

    @Test
    void missingOrConflictingMetadataIsAClearError() throws IOException {
        Map<String, String> noVocabulary = new LinkedHashMap<>();
        noVocabulary.put("vocabulary", null);
        noVocabulary.put("format", null);
        String gap = loadError(t -> { }, noVocabulary, LoadOptions.none());
        assertTrue(gap.contains("the file has no vocabulary; give it in the load options"), gap);

        String conflict = loadError(t -> { }, Map.of(),
                new LoadOptions(null, "abc", null, null, null, null));
        assertTrue(conflict.contains("the file says vocabulary = "), conflict);

        Map<String, String> noDenoiser = new LinkedHashMap<>();
        noDenoiser.put("denoiser", null);
        noDenoiser.put("format", null);
        String none = loadError(t -> { }, noDenoiser, LoadOptions.none());
        assertTrue(none.contains("does not name its denoiser"), none);
    }

    @Test
    void aFileWithoutMetadataLoadsWithOptions() throws IOException {
        DiffusionModel model = model("mlp", 5);
        List<Tensor> tensors = new ArrayList<>();
        for (Parameter p : model.denoiser().parameters()) {
            tensors.add(Tensor.f32(p.name(), p.shape(), p.values()));
        }
        Path file = dir.resolve("bare.safetensors");
        SafeTensors.write(file, Map.of(), tensors);
        DiffusionModel back = DiffusionModel.load(file, new LoadOptions("mlp", model.tokenizer().vocabulary(),
                null, 20, null, null));
        assertArrayEquals(model.denoiser().parameters().get(0).values(), back.denoiser().parameters().get(0).values());
        assertEquals(12, back.tokenizer().maxLength());
    }

    /** Hostile metadata: each refused, naming what is wrong, before anything large is allocated. */
    @Test
    void hostileMetadataIsRefusedBeforeAnyWork() throws IOException {
        String typo = loadError(t -> { }, Map.of("schedulf", "cosine"), LoadOptions.none());
        assertTrue(typo.contains("unknown metadata key 'schedulf'"), typo);
        Map<String, String> noSchedule = new LinkedHashMap<>();
        noSchedule.put("schedule", null);
        String gap = loadError(t -> { }, noSchedule, LoadOptions.none());
        assertTrue(gap.contains("metadata schedule is missing"), gap);
        String huge = loadError(t -> { }, Map.of("denoiser.hidden", "5000000"), LoadOptions.none());
        assertTrue(huge.contains("hidden must be in"), huge);
        String larger = loadError(t -> { }, Map.of("denoiser.hidden", "16000"), LoadOptions.none());
        assertTrue(larger.contains("larger model than the file holds"), larger);
        String wide = loadError(t -> { }, Map.of("max_length", "1000000"), LoadOptions.none());
        assertTrue(wide.contains("max_length must be in"), wide);
        String nan = loadError(t -> {
            float[] v = t.get(1).floats().clone();
            v[7] = Float.POSITIVE_INFINITY;
            t.set(1, Tensor.f32(t.get(1).name(), t.get(1).shape(), v));
        }, Map.of(), LoadOptions.none());
        assertTrue(nan.contains("tensor b1 holds Infinity at index 7"), nan);
        String escape = loadError(t -> { }, Map.of("run.\u001b[31mred", "x"), LoadOptions.none());
        assertTrue(escape.contains("\\u001b") && !escape.contains("\u001b"), escape);
        String badLabels = loadError(t -> { }, Map.of("labels", "[\"a\", \"a\"]"), LoadOptions.none());
        assertTrue(badLabels.contains("labels"), badLabels);
    }
}
