package dev.microdiffusion.core;

import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.corpus.LabelledCorpus;
import dev.microdiffusion.core.corpus.TextCorpus;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.evaluation.SampleQuality;
import dev.microdiffusion.core.internal.ModelSpec;
import dev.microdiffusion.core.internal.Parallel;
import dev.microdiffusion.core.internal.checkpoint.Checkpoint;
import dev.microdiffusion.core.internal.math.GaussLegendre;
import dev.microdiffusion.core.internal.training.Trainer;
import dev.microdiffusion.core.internal.training.TrainingState;
import dev.microdiffusion.core.io.AtomicFiles;
import dev.microdiffusion.core.io.CheckpointException;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.training.Objective;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.core.training.TrainingResult;
import dev.microdiffusion.core.util.Messages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A training run, where a user starts: a corpus of texts in, a trained {@link DiffusionModel} out. Every part is
 * found by its provider name, and everything not set takes the denoiser's own defaults (its row length, its
 * tuned recipe, {@link Builder#DEFAULT_RECIPE}).
 *
 * <pre>{@code
 * TrainingRun run = TrainingRun.builder(names).denoiser("transformer").steps(3000).build();
 * run.train(TrainingListener.NONE);
 * System.out.println(run.evaluate().bitsPerChar());
 * run.model().generation().count(10).temperature(0.8).generate();
 * run.save(Path.of("model.safetensors"));
 * }</pre>
 *
 * <p>A run holds a seeded share of the corpus out for validation ({@link Builder#validationFraction}), and its seed
 * fixes everything else: the split, the initial weights, the batches and the masks; results do not depend on the
 * thread count. A run that checkpoints ({@link Builder#checkpointEvery}) continues from its file with {@link Builder#resumeFrom} exactly as if it
 * had never stopped. Not thread-safe.
 */
public final class TrainingRun {

    /** The seed of every NELBO a run reports, so figures compare across steps and runs. */
    public static final long EVALUATION_SEED = 1;

    private final DiffusionModel model;
    private final EncodedCorpus.Split data;
    private final DataSplit split;
    private final TrainingConfig recipe;
    private final RandomStreams random;
    private final Trainer trainer;
    private final TrainingState state;
    private final int threads;
    private final int evaluateEvery;
    private final int evaluationNodes;
    private final int checkpointEvery;
    private final Path checkpointFile;
    private final boolean resumed;
    private final List<EvaluationPoint> evaluations = new ArrayList<>();

    /** The validation NELBO after some steps. */
    public record EvaluationPoint(int steps, Nelbo result) {
    }

    TrainingRun(Builder b, RunAssembly.Parts parts) {
        DiffusionModel model = parts.model();
        EncodedCorpus.Split data = parts.data();
        Checkpoint.SavedTraining saved = parts.saved();
        this.split = parts.split();
        this.recipe = parts.recipe();
        this.random = parts.random();
        this.model = model;
        this.data = data;
        this.threads = b.threads;
        this.evaluateEvery = b.evaluateEvery;
        this.evaluationNodes = b.evaluationNodes;
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointFile = b.checkpointFile;
        this.resumed = saved != null;
        this.trainer = new Trainer(model.denoiser(), model.schedule(), model.tokenizer().maskId(), recipe, threads);
        this.state = trainer.start(data.train(), random);
        if (saved != null) {
            try {
                saved.restoreInto(state);
            } catch (CheckpointException e) {
                throw new CheckpointException(b.resumeFrom + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                // a random stream's saved state that does not fit its generator, say
                throw new CheckpointException(b.resumeFrom + ": the saved training state cannot be restored: "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Starts a run on {@code corpus}, one text per line (blank lines skipped, lines too long dropped).
     *
     * @param corpus the texts
     * @return the run's builder
     */
    public static Builder builder(List<String> corpus) {
        return new Builder(corpus);
    }

    /**
     * Starts a run of a label-conditioned model on labelled texts (see {@link Builder#labels}).
     *
     * @param corpus the labelled texts
     * @return the run's builder
     */
    public static Builder builder(LabelledCorpus corpus) {
        return new Builder(corpus.texts()).labels(corpus.labels());
    }

    /**
     * Starts a run on one running text, read as windows of the row length: training windows at every offset of its
     * first part, drawn from the run's seeded stream; the held-out tail cut into consecutive windows ({@link
     * Builder#validationFraction}, nanoGPT's split). Its defaults: the "text-transformer" denoiser and its text
     * recipe, the "linear" schedule, the "text" tokenizer (case, punctuation, space and newline kept) and rows of
     * {@value Builder#DEFAULT_TEXT_LENGTH}.
     *
     * @param text the text
     * @return the run's builder
     */
    public static Builder builder(TextCorpus text) {
        return new Builder(text);
    }

    /**
     * Trains to the end of the run (the rest of it when resumed), telling {@code listener} of every step and of every
     * evaluation point.
     *
     * @param listener told of every step and evaluation point
     * @throws dev.microdiffusion.core.training.TrainingDivergedException if the loss stops being finite
     * @throws UncheckedIOException if a checkpoint cannot be written
     * @return what the training did
     */
    public TrainingResult train(TrainingListener listener) {
        TrainingListener evaluating = listener;
        if (evaluateEvery > 0) {
            evaluating = new TrainingListener() {
                @Override
                public void onStep(int step, int steps, double loss, double t) {
                    listener.onStep(step, steps, loss, t);
                    if ((step + 1) % evaluateEvery == 0 && step + 1 < steps) {
                        Nelbo r = evaluate();
                        evaluations.add(new EvaluationPoint(step + 1, r));
                        listener.onEvaluation(step + 1, r);
                    }
                }

                @Override
                public void onEvaluation(int steps, Nelbo result) {
                    listener.onEvaluation(steps, result);
                }
            };
        }
        return trainer.run(data.train(), state, evaluating, checkpointEvery, s -> {
            try {
                saveCheckpoint(checkpointFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save " + checkpointFile + " at step " + s.step() + ": "
                        + e.getMessage(), e);
            }
        });
    }

    /**
     * {@link #train(TrainingListener)} with nobody listening.
     *
     * @return what the training did
     */
    public TrainingResult train() {
        return train(TrainingListener.NONE);
    }

    /**
     * The validation NELBO now, with the run's evaluation settings and {@link #EVALUATION_SEED}.
     *
     * @throws IllegalStateException if the run holds no texts out
     * @return the validation NELBO
     */
    public Nelbo evaluate() {
        if (data.validation().size() == 0) {
            throw new IllegalStateException("the run holds no texts out: set a validation fraction above 0");
        }
        return withAverage(() -> model.evaluation().nodes(evaluationNodes).threads(threads).seed(EVALUATION_SEED)
                .nelbo(data.validation()));
    }

    /** Runs {@code work} with the averaged weights shown (when the recipe keeps them), then shows what was before. */
    private <T, E extends Exception> T withAverage(Work<T, E> work) throws E {
        boolean rawShown = !state.averageShown();
        state.showAverage();
        try {
            return work.run();
        } finally {
            if (rawShown) {
                state.showRaw();
            }
        }
    }

    private interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * {@return how {@code samples} compare with the run's training and held-out texts (see {@link SampleQuality})}
     *
     * @param samples generated texts
     */
    public SampleQuality sampleQuality(List<String> samples) {
        return model.sampleQuality(samples, data);
    }

    /**
     * Saves the run's result the way the run was set up: with its training state when it checkpoints
     * ({@link Builder#checkpointEvery}), so that its last file resumes as its earlier ones do; otherwise the model for
     * sampling. Whole or not at all.
     *
     * @param file the target
     * @throws IOException naming the file and the cause
     */
    public void save(Path file) throws IOException {
        if (checkpointEvery > 0) {
            saveCheckpoint(file);
        } else {
            saveModel(file);
        }
    }

    /** The model for sampling, with its data split; the averaged weights when the recipe keeps them. */
    private void saveModel(Path file) throws IOException {
        withAverage(() -> {
            model.save(file);
            return null;
        });
    }

    /**
     * The model with the run's state, so that {@link Builder#resumeFrom} continues it. A recipe that averages weights
     * saves the average as the model (what loading the file for sampling uses) and the raw weights with the
     * optimiser's moments.
     */
    private void saveCheckpoint(Path file) throws IOException {
        Checkpoint.save(file, model.parts(), state);
    }

    /**
     * {@return the model being trained (its parameters change as the run goes)} When the recipe averages weights
     * ({@link TrainingConfig#emaDecay()}), it holds the average before and after {@link #train}, and the raw weights
     * only while steps run (as a {@link TrainingListener} sees it); {@link #evaluate()} always uses the average.
     */
    public DiffusionModel model() {
        return model;
    }

    /** {@return the texts the run trains on} */
    public EncodedCorpus trainingSet() {
        return data.train();
    }

    /** {@return the texts the run holds out} */
    public EncodedCorpus validationSet() {
        return data.validation();
    }

    /** {@return how the run split its corpus} */
    public DataSplit split() {
        return split;
    }

    /** {@return the recipe the run trains with} */
    public TrainingConfig recipe() {
        return recipe;
    }

    /** {@return the run's seed} */
    public long seed() {
        return random.seed();
    }

    /** {@return the threads the run uses} */
    public int threads() {
        return threads;
    }

    /** {@return steps taken so far (a resumed run starts at its saved step)} */
    public int step() {
        return state.step();
    }

    /** {@return the loss of every step taken so far} */
    public double[] losses() {
        return state.losses();
    }

    /** {@return whether the run continues a saved one} */
    public boolean resumed() {
        return resumed;
    }

    /** {@return the evaluation points passed so far (every {@link Builder#evaluateEvery} steps)} */
    public List<EvaluationPoint> evaluations() {
        return List.copyOf(evaluations);
    }

    /**
     * Sets up a run; {@link #build()} checks everything and prepares the model, before any training. Every setting
     * has a default: the "mlp" denoiser on the "cosine" schedule with the "char" tokenizer, the denoiser's own row
     * length and tuned recipe ({@link #DEFAULT_RECIPE}), 10 % held out, seed 1, all available processors.
     */
    public static final class Builder {

        /** The denoiser of a run that names none. */
        public static final String DEFAULT_DENOISER = "mlp";
        /** The noise schedule of a run that names none. */
        public static final String DEFAULT_SCHEDULE = ModelSpec.DEFAULT_SCHEDULE;
        /** The tokenizer of a run that names none. */
        public static final String DEFAULT_TOKENIZER = ModelSpec.DEFAULT_TOKENIZER;
        /** The share held out for validation unless told otherwise. */
        public static final double DEFAULT_VALIDATION = 0.1;
        /** The reference's recipe for each denoiser. */
        public static final String REFERENCE_RECIPE = "reference";
        /** Each denoiser's tuned recipe. */
        public static final String TUNED_RECIPE = "tuned";
        /** The recipe of a run that names none. */
        public static final String DEFAULT_RECIPE = TUNED_RECIPE;
        /** The denoiser of a run on a running text that names none. */
        public static final String DEFAULT_TEXT_DENOISER = "text-transformer";
        /** The schedule of a run on a running text that names none: MDLM's linear one, the loss weighted 1/t. */
        public static final String DEFAULT_TEXT_SCHEDULE = "linear";
        /** The tokenizer of a run on a running text that names none. */
        public static final String DEFAULT_TEXT_TOKENIZER = "text";
        /** The row length of a run on a running text that sets none: the window each row holds. */
        public static final int DEFAULT_TEXT_LENGTH = 256;

        final List<String> corpus;
        /** The running text of a run on one, else null. */
        final TextCorpus text;
        String denoiser = DEFAULT_DENOISER;
        final Map<String, String> denoiserSettings = new TreeMap<>();
        String schedule = DEFAULT_SCHEDULE;
        final Map<String, String> scheduleSettings = new TreeMap<>();
        String tokenizer = DEFAULT_TOKENIZER;
        Integer maxLength;
        double validationFraction = DEFAULT_VALIDATION;
        long seed = RandomStreams.DEFAULT_SEED;
        int threads = Parallel.defaultThreads();
        TrainingConfig recipe;
        String recipeName = DEFAULT_RECIPE;
        Integer steps;
        Integer batchSize;
        Double learningRate;
        Integer diffusionSteps;
        Objective objective;
        Double labelDropout;
        List<String> labels;
        int evaluateEvery;
        int evaluationNodes = Nelbo.DEFAULT_NODES;
        int checkpointEvery;
        Path checkpointFile;
        Path resumeFrom;
        /** What was set explicitly, so that resuming can refuse a change. */
        final Map<TrainingSetting, Object> explicit = new EnumMap<>(TrainingSetting.class);

        private Builder(List<String> corpus) {
            if (corpus == null) {
                throw new NullPointerException("corpus");
            }
            for (int n = 0; n < corpus.size(); n++) {
                if (corpus.get(n) == null) {
                    throw new NullPointerException("corpus: text " + (n + 1) + " is null");
                }
            }
            this.corpus = List.copyOf(corpus);
            this.text = null;
        }

        private Builder(TextCorpus text) {
            this.text = Objects.requireNonNull(text, "text");
            this.corpus = List.of();
            this.denoiser = DEFAULT_TEXT_DENOISER;
            this.tokenizer = DEFAULT_TEXT_TOKENIZER;
            this.schedule = DEFAULT_TEXT_SCHEDULE;
        }

        private Builder set(TrainingSetting setting, Object value) {
            explicit.put(setting, value);
            return this;
        }

        /**
         * The denoiser's provider name ("mlp", "mlp-skip", "transformer", or a plug-in's).
         *
         * @param name the denoiser's provider name
         * @return this builder
         */
        public Builder denoiser(String name) {
            denoiser = name;
            return set(TrainingSetting.DENOISER, name);
        }

        /**
         * One of the denoiser's settings over its defaults (e.g. {@code hidden} of the MLPs).
         *
         * @param key the setting's key
         * @param value its value, as {@link String#valueOf(Object)} writes it
         * @return this builder
         */
        public Builder denoiserSetting(String key, Object value) {
            denoiserSettings.put(key, String.valueOf(value));
            return set(TrainingSetting.DENOISER_SETTING, denoiserSettings);
        }

        /**
         * The noise schedule's provider name ("cosine", "linear", "loglinear", "polynomial", or a plug-in's).
         *
         * @param name the schedule's provider name
         * @return this builder
         */
        public Builder schedule(String name) {
            schedule = name;
            return set(TrainingSetting.SCHEDULE, name);
        }

        /**
         * One of the schedule's settings (e.g. {@code exponent} of "polynomial").
         *
         * @param key the setting's key
         * @param value its value, as {@link String#valueOf(Object)} writes it
         * @return this builder
         */
        public Builder scheduleSetting(String key, Object value) {
            scheduleSettings.put(key, String.valueOf(value));
            return set(TrainingSetting.SCHEDULE_SETTING, scheduleSettings);
        }

        /**
         * The tokenizer's provider name ("char", or a plug-in's).
         *
         * @param name the tokenizer's provider name
         * @return this builder
         */
        public Builder tokenizer(String name) {
            tokenizer = name;
            return set(TrainingSetting.TOKENIZER, name);
        }

        /**
         * The row length: the longest text kept (default: the denoiser's).
         *
         * @param value the row length
         * @return this builder
         */
        public Builder maxLength(int value) {
            maxLength = value;
            return set(TrainingSetting.MAX_LENGTH, value);
        }

        /**
         * The share of the corpus held out for validation, chosen by the seed (0.1; 0 trains on all).
         *
         * @param value the share of the corpus held out for validation, chosen by the seed
         * @return this builder
         */
        public Builder validationFraction(double value) {
            validationFraction = value;
            return set(TrainingSetting.VALIDATION_FRACTION, value);
        }

        /**
         * The seed of the split, the initial weights, the batches and the masks (1).
         *
         * @param value the seed of the split, the initial weights, the batches and the masks
         * @return this builder
         */
        public Builder seed(long value) {
            seed = value;
            return set(TrainingSetting.SEED, value);
        }

        /**
         * Threads for training and evaluation (default: the available processors); results do not depend on it.
         *
         * @param value the thread count
         * @return this builder
         */
        public Builder threads(int value) {
            threads = value;
            return this;
        }

        /**
         * A whole recipe instead of the denoiser's own; the single settings below still apply over it.
         *
         * @param value a whole recipe instead of the denoiser's own
         * @return this builder
         */
        public Builder recipe(TrainingConfig value) {
            if (value == null) {
                throw new IllegalArgumentException("recipe must not be null");
            }
            recipe = value;
            recipeName = null;
            return set(TrainingSetting.RECIPE, value);
        }

        /**
         * One of the denoiser's own recipes by name: {@value #REFERENCE_RECIPE} (the reference's, as {@link
         * DenoiserProvider#referenceTraining()}) or {@value #TUNED_RECIPE} (tuned by measured validation NELBO, {@link
         * DenoiserProvider#tunedTraining()}); default {@value #DEFAULT_RECIPE}.
         *
         * @param name the recipe's name
         * @return this builder
         */
        public Builder recipe(String name) {
            if (!REFERENCE_RECIPE.equals(name) && !TUNED_RECIPE.equals(name)) {
                throw new IllegalArgumentException("recipe must be " + REFERENCE_RECIPE + " or " + TUNED_RECIPE
                        + ", got " + (name == null ? "none" : "'" + Messages.printable(name, 40) + "'"));
            }
            recipeName = name;
            recipe = null;
            return set(TrainingSetting.RECIPE, name);
        }

        /**
         * Training steps (default: the recipe's).
         *
         * @param value the step count
         * @return this builder
         */
        public Builder steps(int value) {
            steps = value;
            return set(TrainingSetting.STEPS, value);
        }

        /**
         * Rows per training step (default: the recipe's).
         *
         * @param value the batch size
         * @return this builder
         */
        public Builder batchSize(int value) {
            batchSize = value;
            return set(TrainingSetting.BATCH_SIZE, value);
        }

        /**
         * The peak learning rate.
         *
         * @param value the peak learning rate
         * @return this builder
         */
        public Builder learningRate(double value) {
            learningRate = value;
            return set(TrainingSetting.LEARNING_RATE, value);
        }

        /**
         * T, the number of diffusion steps.
         *
         * @param value T, the number of diffusion steps
         * @return this builder
         */
        public Builder diffusionSteps(int value) {
            diffusionSteps = value;
            return set(TrainingSetting.DIFFUSION_STEPS, value);
        }

        /**
         * The training loss (default: the recipe's).
         *
         * @param value the objective
         * @return this builder
         */
        public Builder objective(Objective value) {
            objective = value;
            return set(TrainingSetting.OBJECTIVE, value);
        }

        /**
         * A label per line of the corpus ({@code labels.get(n)} is line n's), for a denoiser conditioned on them (one
         * whose provider {@link DenoiserProvider#takesLabels() takes labels}). Label ids follow the names' sorted
         * order; the model keeps the names.
         *
         * @param value a label per line of the corpus
         * @return this builder
         */
        public Builder labels(List<String> value) {
            labels = List.copyOf(value);
            return this;
        }

        /**
         * The probability a labelled row is trained without its label (default 0.1).
         *
         * @param value the probability a labelled row is trained without its label
         * @return this builder
         */
        public Builder labelDropout(double value) {
            labelDropout = value;
            return set(TrainingSetting.LABEL_DROPOUT, value);
        }

        /**
         * Evaluate the validation NELBO every this many steps (0: never during the run).
         *
         * @param value steps between evaluations (0: none during the run)
         * @return this builder
         */
        public Builder evaluateEvery(int value) {
            evaluateEvery = value;
            return this;
        }

        /**
         * Gauss–Legendre nodes of the run's evaluations (16).
         *
         * @param value Gauss–Legendre nodes of the run's evaluations
         * @return this builder
         */
        public Builder evaluationNodes(int value) {
            evaluationNodes = value;
            return this;
        }

        /**
         * Save a resumable checkpoint to {@code file} every {@code everySteps} steps.
         *
         * @param everySteps steps between checkpoints
         * @param file the checkpoint, written whole each time
         * @return this builder
         */
        public Builder checkpointEvery(int everySteps, Path file) {
            checkpointEvery = everySteps;
            checkpointFile = file;
            return this;
        }

        /**
         * Continue the run checkpointed in {@code file} ({@link #checkpointEvery}, {@link TrainingRun#save}) on the
         * same corpus. The saved recipe, denoiser, schedule, split and seed are kept; setting any of them to another
         * value is refused.
         *
         * @param file the checkpoint to continue
         * @return this builder
         */
        public Builder resumeFrom(Path file) {
            resumeFrom = file;
            return this;
        }

        /**
         * Checks every setting, finds the providers, fits the tokenizer, splits the corpus and makes the model (or
         * restores it from the file to resume).
         *
         * @throws IllegalArgumentException naming the setting at fault and why
         * @throws IOException              if the file to resume cannot be read, or the checkpoint file of
         *                                  {@link #checkpointEvery} cannot be written (checked now, before training)
         * @throws CheckpointException      if it does not hold a run to resume
         * @return the run, ready to train
         */
        public TrainingRun build() throws IOException {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
            }
            if (evaluateEvery < 0 || evaluationNodes < 1
                    || evaluationNodes > GaussLegendre.MAX_NODES) {
                throw new IllegalArgumentException("evaluateEvery must be ≥ 0 and evaluationNodes ≥ 1, got "
                        + evaluateEvery + ", " + evaluationNodes);
            }
            if (checkpointEvery < 0 || (checkpointEvery > 0 && checkpointFile == null)) {
                throw new IllegalArgumentException("checkpointEvery needs a file and a count ≥ 1");
            }
            if (checkpointFile != null) {
                // the first checkpoint comes after a stretch of training: a target that cannot take it fails now
                AtomicFiles.checkWritable(checkpointFile);
            }
            RunAssembly assembly = new RunAssembly(this);
            TrainingRun run = resumeFrom == null ? assembly.fresh() : assembly.resumed();
            if (evaluateEvery > 0 && run.validationSet().size() == 0) {
                throw new IllegalArgumentException("evaluateEvery needs held-out texts: set a validation fraction "
                        + "above 0");
            }
            return run;
        }
    }
}
