package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.FillMask;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.ResumeConflictException;
import dev.microdiffusion.core.Samples;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.TrainingSetting;
import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.corpus.LabelledCorpus;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.io.CheckpointException;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.training.Objective;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The façade as a user drives it: one builder call per job, checked before any work, the same for every denoiser. */
class FacadeTest {

    private static final List<String> NAMES = DefaultCorpus.names().subList(0, 800);

    private static TrainingRun.Builder run(String denoiser) {
        return TrainingRun.builder(NAMES).denoiser(denoiser).steps(30).threads(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "mlp-skip", "transformer", "neighbour"})
    void everyDenoiserTrainsGeneratesWithATemplatePredictsEvaluatesAndReloads(String denoiser, @TempDir Path dir)
            throws IOException {
        TrainingRun run = run(denoiser).build();
        assertEquals(80, run.validationSet().size(), "10 % held out by default");
        TrainingResult result = run.train();
        assertEquals(30, result.steps());
        Nelbo nelbo = run.evaluate();
        assertTrue(nelbo.bitsPerChar() > 0 && Double.isFinite(nelbo.bitsPerChar()), nelbo.toString());

        DiffusionModel model = run.model();
        List<String> filled = model.generation().count(6).sampler("ancestral").template("e__a").generate();
        for (String name : filled) {
            assertEquals(4, name.length(), name);
            assertTrue(name.startsWith("e") && name.endsWith("a"), name);
        }
        FillMask guesses = model.predict("em__a");
        assertEquals(model.tokenizer().maxLength(), guesses.positions().size());
        assertEquals(List.of(2, 3), guesses.masked().stream().map(FillMask.Position::index).toList());
        for (FillMask.Position p : guesses.positions()) {
            double sum = 0;
            for (double q : p.probabilities()) {
                sum += q;
            }
            assertEquals(1.0, sum, 1e-9, "probabilities at position " + p.index());
        }
        assertEquals(3, guesses.top(guesses.masked().get(0), 3).size());

        Path file = dir.resolve("model.safetensors");
        model.save(file);
        DiffusionModel back = DiffusionModel.load(file);
        assertEquals(model.generate(12), back.generate(12), "same weights, same names");
        assertEquals(run.split(), back.split().orElseThrow(), "the split travels with the model");
        assertEquals(nelbo, back.evaluation().threads(1).heldOut(NAMES),
                "the reloaded model scores the same held-out names the same");
    }

    @Test
    void aRunThatAveragesWeightsResumesExactlyAndShowsItsAverage(@TempDir Path dir) throws IOException {
        TrainingRun whole = run("mlp").recipe("tuned").steps(40).build();
        assertTrue(whole.recipe().averagesWeights(), "the tuned recipe keeps an average");
        whole.train();
        Path saved = dir.resolve("run.safetensors");
        TrainingRun crashed = run("mlp").recipe("tuned").steps(40).checkpointEvery(20, saved).build();
        assertThrows(IllegalStateException.class, () -> crashed.train((step, steps, loss, t) -> {
            if (step + 1 == 25) {
                throw new IllegalStateException("a crash after the save at step 20");
            }
        }));
        // the checkpoint samples with the average; resuming restores the raw weights the run steps from
        DiffusionModel atTwenty = DiffusionModel.load(saved);
        TrainingRun resumed = TrainingRun.builder(NAMES).threads(2).resumeFrom(saved).build();
        for (int i = 0; i < atTwenty.denoiser().parameters().size(); i++) {
            assertArrayEquals(atTwenty.denoiser().parameters().get(i).values(),
                    resumed.model().denoiser().parameters().get(i).values(), "a resumed run shows its average");
        }
        resumed.train();
        assertArrayEquals(whole.losses(), resumed.losses());
        for (int i = 0; i < whole.model().denoiser().parameters().size(); i++) {
            assertArrayEquals(whole.model().denoiser().parameters().get(i).values(),
                    resumed.model().denoiser().parameters().get(i).values(), "same average after the run");
        }
        assertEquals(whole.model().generate(10), resumed.model().generate(10));
        assertEquals(whole.evaluate(), resumed.evaluate());
        Path model = dir.resolve("model.safetensors");
        whole.save(model);
        DiffusionModel back = DiffusionModel.load(model);
        assertEquals(whole.model().generate(10), back.generate(10), "the saved model is the average");

        // the average is not the raw weights, and the raw trajectory is the one without an average
        TrainingRun noAverage = run("mlp").recipe(whole.recipe().toBuilder().emaDecay(0).build()).steps(40).build();
        noAverage.train();
        assertArrayEquals(whole.losses(), noAverage.losses(), "the average never feeds back into training");
        assertNotEquals(whole.evaluate().bitsPerChar(), noAverage.evaluate().bitsPerChar());

        ResumeConflictException changed = assertThrows(ResumeConflictException.class,
                () -> TrainingRun.builder(NAMES).resumeFrom(saved).recipe("reference").build());
        assertEquals(List.of(TrainingSetting.RECIPE), changed.settings());
        assertEquals(whole.recipe(), changed.conflicts().get(0).saved(), "the conflict carries the saved recipe");
        TrainingRun.builder(NAMES).resumeFrom(saved).recipe("tuned").build();
    }

    @Test
    void samplesCountTheirModelCalls() throws IOException {
        TrainingRun run = run("mlp").build();
        run.train();
        // three blanks: the first-hitting sampler reveals one per call, so three calls for a batch of ten
        Samples exact = run.model().generation().count(10).batchSize(10)
                .sampler("first-hitting").template("ma___").sample();
        assertEquals(10, exact.texts().size());
        assertEquals(3, exact.modelCalls());
        // every row is the same at the first call (one row sent), then up to ten per call
        assertTrue(exact.modelRows() >= 1 + 2 && exact.modelRows() <= 1 + 2 * 10, exact.toString());
        assertEquals(exact.modelRows() / 10.0, exact.modelEvaluationsPerText());
        assertEquals(exact.texts(), run.model().generation().count(10).batchSize(10).sampler("first-hitting")
                .template("ma___").generate(), "sample() and generate() give the same texts");
        Samples grid = run.model().generation().count(10).sampler("ancestral").steps(5)
                .sample();
        assertTrue(grid.modelCalls() >= 1 && grid.modelCalls() <= 5, "at most one call a step: " + grid);
    }

    /** A provider that states no recipe trains with the plug-in default, not the reference MLPs' learning rate. */
    @Test
    void aProviderWithoutRecipesTrainsWithThePlugInDefault() throws IOException {
        DenoiserProvider bare = new DenoiserProvider() {
            @Override
            public String name() {
                return "bare";
            }

            @Override
            public String description() {
                return "no recipes";
            }

            @Override
            public Denoiser create(DenoiserConfig config, UniformRandomProvider random) {
                throw new UnsupportedOperationException();
            }

            @Override
            public DenoiserConfig defaultConfig(int vocabSize) {
                return new DenoiserConfig(vocabSize, 12);
            }
        };
        assertEquals(TrainingConfig.plugIn(), bare.tunedTraining());
        assertEquals(TrainingConfig.reference(), bare.referenceTraining());
        assertNotEquals(TrainingConfig.reference().learningRate(), TrainingConfig.plugIn().learningRate());
        assertEquals(Registry.find(DenoiserProvider.class, "neighbour").tunedTraining().withSteps(30),
                run("neighbour").build().recipe(), "a run trains with the provider's tuned recipe");
    }

    @Test
    void aResumedRunEqualsTheUninterruptedOneAndKeepsItsRecipe(@TempDir Path dir) throws IOException {
        TrainingRun whole = run("mlp").steps(40).objective(Objective.MDLM).build();
        whole.train();
        Path saved = dir.resolve("run.safetensors");
        TrainingRun crashed = run("mlp").steps(40).objective(Objective.MDLM).checkpointEvery(20, saved).build();
        assertThrows(IllegalStateException.class, () -> crashed.train((step, steps, loss, t) -> {
            if (step + 1 == 25) {
                throw new IllegalStateException("a crash after the save at step 20");
            }
        }));
        TrainingRun resumed = TrainingRun.builder(NAMES).threads(2).resumeFrom(saved).build();
        assertTrue(resumed.resumed());
        assertEquals(20, resumed.step());
        resumed.train();
        assertArrayEquals(whole.losses(), resumed.losses());
        assertEquals(whole.model().generate(10), resumed.model().generate(10));
        assertEquals(whole.evaluate(), resumed.evaluate());

        ResumeConflictException changed = assertThrows(ResumeConflictException.class,
                () -> TrainingRun.builder(NAMES).resumeFrom(saved).seed(1).steps(50).objective(Objective.MDLM).build());
        assertEquals(List.of(TrainingSetting.STEPS), changed.settings(), "the saved seed and objective are no change");
        assertEquals(new ResumeConflictException.Conflict(TrainingSetting.STEPS, 50, 40),
                changed.conflicts().get(0), "the conflict carries both values");
        TrainingRun.builder(NAMES).resumeFrom(saved).denoiserSetting("hidden", 256).build();
        ResumeConflictException wider = assertThrows(ResumeConflictException.class,
                () -> TrainingRun.builder(NAMES).resumeFrom(saved).denoiserSetting("hidden", 128).build());
        assertEquals(List.of(TrainingSetting.DENOISER_SETTING), wider.settings(), "the saved width is 256");
        CheckpointException other = assertThrows(CheckpointException.class,
                () -> TrainingRun.builder(NAMES.subList(0, 700)).resumeFrom(saved).build());
        assertTrue(other.getMessage().contains("another corpus"), other.getMessage());
    }

    @Test
    void settingsAreCheckedWhenBuiltNotWhenUsed() throws IOException {
        DiffusionModel model = run("mlp").steps(1).build().model();
        Generation.Builder ok = model.generation();
        assertThrows(IllegalArgumentException.class, () -> model.generation().sampler("nope").build());
        assertThrows(IllegalArgumentException.class, () -> model.generation().temperature(0).build());
        assertThrows(IllegalArgumentException.class, () -> model.generation().topP(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> model.generation().count(-1).build());
        assertThrows(IllegalArgumentException.class,
                () -> model.generation().sampler("blocks").samplerSetting("inner", "nope").build());
        assertThrows(IllegalArgumentException.class,
                () -> model.generation().sampler("threshold").samplerSetting("treshold", 0.5).build());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> model.generation().sampler("threshold").samplerSetting("threshold", -0.2).build());
        assertTrue(negative.getMessage().contains("negative-entropy"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.generation().template("a_9").build());
        assertThrows(IllegalArgumentException.class, () -> model.generation().suffix("a").build());
        assertThrows(IllegalArgumentException.class, () -> model.generation().template("a__").prefix("a").build());
        assertThrows(IllegalArgumentException.class, () -> model.predict("emma"));
        assertThrows(IllegalArgumentException.class, () -> model.predict("em_a", 1.5));
        assertEquals(20, ok.build().count());

        assertThrows(IllegalArgumentException.class, () -> TrainingRun.builder(NAMES).denoiser("gpt").build());
        assertThrows(IllegalArgumentException.class, () -> TrainingRun.builder(NAMES).steps(0).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingRun.builder(NAMES).maxLength(1_000_000).build(),
                "refused before the corpus is encoded at that width");
        assertThrows(IllegalArgumentException.class, () -> TrainingRun.builder(NAMES).validationFraction(1).build());
        assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.builder(NAMES).validationFraction(0).evaluateEvery(10).build());
        assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.builder(NAMES).denoiserSetting("hidden", "many").build());
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.builder(NAMES).denoiserSetting("hiden", 64).build());
        assertTrue(typo.getMessage().contains("denoiser mlp takes only hidden"), typo.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.builder(NAMES).denoiser("transformer").denoiserSetting("layers", 100_000).build());
        TrainingRun narrow = TrainingRun.builder(NAMES).denoiserSetting("hidden", 8).build();
        long cells = (long) narrow.model().tokenizer().maxLength() * narrow.model().tokenizer().vocabSize();
        assertEquals((cells + 1) * 8 + 8 + 8 * cells + cells, narrow.model().denoiser().parameterCount(),
                "a setting that is taken changes the model");
        assertThrows(IllegalStateException.class,
                () -> TrainingRun.builder(NAMES).validationFraction(0).steps(1).build().evaluate());
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnother() throws IOException {
        TrainingRun a = run("mlp-skip").seed(5).build();
        TrainingRun b = run("mlp-skip").seed(5).threads(2).build();
        TrainingRun c = run("mlp-skip").seed(6).build();
        assertArrayEquals(a.train().losses(), b.train().losses(), "threads do not change a run");
        assertNotEquals(a.split(), c.split());
        assertEquals(a.model().generation().seed(3).generate(), b.model().generation().seed(3).threads(2).generate());
        float[] wa = a.model().denoiser().parameters().get(0).values();
        float[] wb = b.model().denoiser().parameters().get(0).values();
        assertArrayEquals(wa, wb);
        Parameter first = c.model().denoiser().parameters().get(0);
        assertEquals(a.model().denoiser().parameters().get(0).size(), first.size());
    }

    @Test
    void aDataSplitHoldsOutTheSameTextsAgainAndRecognisesItsCorpus() throws IOException {
        TrainingRun run = run("mlp").steps(1).build();
        var all = run.model().encode(NAMES);
        assertTrue(run.split().matches(all));
        assertEquals(run.validationSet().texts(), run.split().apply(all).validation().texts());
        assertTrue(!run.split().matches(run.model().encode(NAMES.subList(0, 700))));
        assertTrue(new DataSplit(0.1, 1, null).matches(all), "an unknown fingerprint matches anything");
        assertThrows(IllegalArgumentException.class, () -> new DataSplit(1.0, 1, null));
    }

    /** Editing: every sampler keeps the kept characters and the length, and makes variations. */
    @ParameterizedTest
    @ValueSource(strings = {"confidence", "ancestral", "remask-lowconf", "remask-random", "threshold", "blocks", "first-hitting", "remdm"})
    void anEditKeepsWhatItKeepsWithEverySampler(String sampler) throws IOException {
        DiffusionModel model = EDITED.model();
        Generation edit = model.generation().sampler(sampler).edit("jessica", 0.4).count(24).build();
        assertEquals(3, edit.remasked(), "round(0.4 · 7)");
        assertTrue(edit.options().startTime() < 1, "a partly masked row starts below t = 1");
        List<String> variations = edit.generate();
        for (String v : variations) {
            assertEquals(7, v.length(), v);
            int changed = 0;
            for (int i = 0; i < 7; i++) {
                changed += v.charAt(i) == "jessica".charAt(i) ? 0 : 1;
            }
            assertTrue(changed <= 3, sampler + " changed " + changed + " characters: " + v);
        }
        assertTrue(variations.stream().anyMatch(v -> !v.equals("jessica")), sampler + " made no new variation");
        assertEquals(variations, model.generation().sampler(sampler).edit("jessica", 0.4).count(24).generate(),
                "same seed, same variations");

        List<String> kept = model.generation().sampler(sampler).editKeeping("je_s_ca").count(24).generate();
        for (String v : kept) {
            assertEquals(7, v.length(), v);
            assertTrue(v.startsWith("je") && v.charAt(3) == 's' && v.endsWith("ca"), sampler + ": " + v);
        }
        List<String> vowels = model.generation().sampler(sampler).editKeeping("j[aeiou]ssica").count(24).generate();
        for (String v : vowels) {
            assertTrue("aeiou".indexOf(v.charAt(1)) >= 0 && v.startsWith("j") && v.endsWith("ssica"), v);
        }
    }

    @Test
    void badEditsAreRefusedWhenBuilt() throws IOException {
        DiffusionModel model = EDITED.model();
        assertThrows(IllegalArgumentException.class, () -> model.generation().edit("jessica", 0).build());
        assertThrows(IllegalArgumentException.class, () -> model.generation().edit("jessica", 1.5).build());
        assertThrows(IllegalArgumentException.class, () -> model.generation().edit("jes_ica", 0.5).build());
        assertThrows(IllegalArgumentException.class, () -> model.generation().editKeeping("jessica").build());
        assertThrows(IllegalArgumentException.class, () -> model.generation().edit("jessica", 0.5).prefix("j").build());
        assertThrows(IllegalArgumentException.class, () -> model.generation().edit("jessicaaaaaaaa", 0.5).build());
        assertThrows(IllegalArgumentException.class, () -> model.predict("[ae]m__a"));
        assertEquals(7, model.generation().edit("jessica", 1).build().remasked(), "strength 1 regenerates all");
        assertEquals(0.5, model.generation().edit("jessica", 0.2).startTime(0.5).build().options().startTime());
    }

    private static final TrainingRun EDITED = trained();

    private static TrainingRun trained() {
        try {
            TrainingRun run = run("mlp").steps(300).build();
            run.train();
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final LabelledCorpus LABELLED = first(DefaultCorpus.labelledNames(), 800);

    private static LabelledCorpus first(LabelledCorpus all, int n) {
        return new LabelledCorpus(all.texts().subList(0, n), all.labels().subList(0, n));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "mlp-skip", "transformer"})
    void aLabelledRunConditionsGuidesSavesAndResumes(String denoiser, @TempDir Path dir) throws IOException {
        TrainingRun whole = TrainingRun.builder(LABELLED).denoiser(denoiser).steps(30).threads(1).build();
        assertEquals(List.of("female", "male"), whole.model().labels());
        assertTrue(whole.trainingSet().isLabelled() && whole.validationSet().isLabelled());
        whole.train();
        Nelbo conditional = whole.evaluate();
        Nelbo unconditional = whole.model().evaluation().unconditional().threads(1)
                .nelbo(whole.validationSet());
        assertNotEquals(conditional.natsPerText(), unconditional.natsPerText(), "the label is used");
        Generation guided = whole.model().generation().label("male").guidance(2).count(8).build();
        assertEquals("male", guided.label());
        assertEquals(8, guided.generate().size());

        Path file = dir.resolve("labelled.safetensors");
        whole.save(file);
        DiffusionModel back = DiffusionModel.load(file);
        assertEquals(whole.model().labels(), back.labels());
        assertEquals(guided.generate(), back.generation().label("male").guidance(2).count(8).generate());

        Path saved = dir.resolve("run.safetensors");
        TrainingRun crashed = TrainingRun.builder(LABELLED).denoiser(denoiser).steps(30).threads(1)
                .checkpointEvery(15, saved).build();
        assertThrows(IllegalStateException.class, () -> crashed.train((step, steps, loss, t) -> {
            if (step + 1 == 20) {
                throw new IllegalStateException("a crash after the save at step 15");
            }
        }));
        TrainingRun resumed = TrainingRun.builder(LABELLED).resumeFrom(saved).build();
        resumed.train();
        assertArrayEquals(whole.losses(), resumed.losses(), "label dropout resumes exactly too");
        assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.builder(LABELLED.texts()).resumeFrom(saved).build(), "labels are needed");
    }

    @Test
    void labelsAreRefusedWhereTheyCannotBeUsed() throws IOException {
        IllegalArgumentException plugin = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.builder(LABELLED).denoiser("neighbour").build());
        assertTrue(plugin.getMessage().contains("takes no labels"), plugin.getMessage());
        DiffusionModel plain = run("mlp").steps(1).build().model();
        assertThrows(IllegalArgumentException.class, () -> plain.generation().label("male").build());
        DiffusionModel labelled = TrainingRun.builder(LABELLED).steps(1).build().model();
        assertThrows(IllegalArgumentException.class, () -> labelled.generation().guidance(1).build(), "no label");
        assertThrows(IllegalArgumentException.class, () -> labelled.generation().label("other").build());
        assertThrows(IllegalArgumentException.class, () -> labelled.generation().label("male").guidance(-1).build());
        assertThrows(IllegalArgumentException.class, () -> LabelledCorpus.parse(List.of("anna\tfemale", "bob")));
        assertEquals(List.of("bob"), LabelledCorpus.parse(List.of("", "bob\tmale")).texts());
    }

    /**
     * Training uses the labels: on names labelled by their first letter's half of the alphabet, the model scores
     * held-out names better with their true labels than with each other's, and than without.
     */
    @Test
    void aTrainedModelUsesItsLabels() throws IOException {
        List<String> names = DefaultCorpus.names();
        List<String> halves = names.stream().map(n -> n.charAt(0) < 'k' ? "early" : "late").toList();
        TrainingRun run = TrainingRun.builder(new LabelledCorpus(names, halves)).steps(600).build();
        run.train();
        var heldOut = run.validationSet();
        int[] swapped = heldOut.labels().clone();
        for (int i = 0; i < swapped.length; i++) {
            swapped[i] = 1 - swapped[i];
        }
        double truth = run.model().evaluation().nelbo(heldOut).bitsPerChar();
        double wrong = run.model().evaluation().nelbo(new EncodedCorpus(heldOut.texts(), heldOut.ids(),
                heldOut.length(), 0, swapped)).bitsPerChar();
        double none = run.model().evaluation().unconditional().nelbo(heldOut).bitsPerChar();
        assertTrue(truth < none && none < wrong && wrong - truth > 0.1,
                "true " + truth + ", none " + none + ", swapped " + wrong);
    }
}
