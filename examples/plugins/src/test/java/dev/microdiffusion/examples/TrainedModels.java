package dev.microdiffusion.examples;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.corpus.LabelledCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Small models trained once per test JVM (30 seeded steps on 800 default names) for the tests that share them. */
final class TrainedModels {

    static final List<String> NAMES = DefaultCorpus.names().subList(0, 800);

    private TrainedModels() {
    }

    private static final class Mlp {
        static final DiffusionModel MODEL = trained(TrainingRun.builder(NAMES).denoiser("mlp").steps(30));
    }

    private static final class Transformer {
        static final DiffusionModel MODEL = trained(TrainingRun.builder(NAMES).denoiser("transformer").steps(30));
    }

    private static final class Labelled {
        static final LabelledCorpus CORPUS;
        static final DiffusionModel MODEL;

        static {
            LabelledCorpus all = DefaultCorpus.labelledNames();
            CORPUS = new LabelledCorpus(all.texts().subList(0, 800), all.labels().subList(0, 800));
            MODEL = trained(TrainingRun.builder(CORPUS).denoiser("mlp").steps(30));
        }
    }

    /** The 800 labelled names {@link #labelled()} trained on. */
    static LabelledCorpus labelledCorpus() {
        return Labelled.CORPUS;
    }

    static DiffusionModel mlp() {
        return Mlp.MODEL;
    }

    static DiffusionModel transformer() {
        return Transformer.MODEL;
    }

    /** An MLP conditioned on the default corpus's labels ("female", "male"). */
    static DiffusionModel labelled() {
        return Labelled.MODEL;
    }

    /** The model of a run, trained on one thread. */
    static DiffusionModel trained(TrainingRun.Builder builder) {
        try {
            TrainingRun run = builder.threads(1).build();
            run.train();
            return run.model();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
