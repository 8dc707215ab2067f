package dev.microdiffusion.core;

import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.evaluation.SampleQuality;
import dev.microdiffusion.core.internal.Messages;
import dev.microdiffusion.core.internal.Parallel;
import dev.microdiffusion.core.internal.checkpoint.Checkpoint;
import dev.microdiffusion.core.internal.training.Trainer;
import dev.microdiffusion.core.internal.training.TrainingState;
import dev.microdiffusion.core.io.AtomicFiles;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.EncodedCorpus;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.NoiseScheduleProvider;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.spi.TokenizerProvider;
import dev.microdiffusion.core.training.Objective;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.core.training.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * run.saveModel(Path.of("model.safetensors"));
 * }</pre>
 *
 * <p>A run holds a seeded share of the corpus out for validation ({@link Builder#validationFraction}), and its seed
 * fixes everything else: the split, the initial weights, the batches and the masks; results do not depend on the
 * thread count. A run saved with {@link #saveCheckpoint} continues with {@link Builder#resumeFrom} exactly as if it
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

    private TrainingRun(Builder b, DiffusionModel model, EncodedCorpus.Split data, DataSplit split,
            TrainingConfig recipe, RandomStreams random, Checkpoint.SavedTraining saved) {
        this.model = model;
        this.data = data;
        this.split = split;
        this.recipe = recipe;
        this.random = random;
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

    /** Starts a run on {@code corpus}, one text per line (blank lines skipped, lines too long dropped). */
    public static Builder builder(List<String> corpus) {
        return new Builder(corpus);
    }

    /** Starts a run of a label-conditioned model on labelled texts (see {@link Builder#labels}). */
    public static Builder builder(LabelledCorpus corpus) {
        return new Builder(corpus.texts()).labels(corpus.labels());
    }

    /**
     * Trains to the end of the run (the rest of it when resumed), telling {@code listener} of every step and of every
     * evaluation point.
     *
     * @throws dev.microdiffusion.core.training.TrainingDivergedException if the loss stops being finite
     * @throws UncheckedIOException if a checkpoint cannot be written
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

    /** {@link #train(TrainingListener)} with nobody listening. */
    public TrainingResult train() {
        return train(TrainingListener.NONE);
    }

    /**
     * The validation NELBO now, with the run's evaluation settings and {@link #EVALUATION_SEED}.
     *
     * @throws IllegalStateException if the run holds no texts out
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

    /** How {@code samples} compare with the run's training and held-out texts (see {@link SampleQuality}). */
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

    /** Saves the model for sampling (with its data split; the averaged weights when the recipe keeps them). */
    public void saveModel(Path file) throws IOException {
        withAverage(() -> {
            model.save(file);
            return null;
        });
    }

    /**
     * Saves the model with the run's state, so that {@link Builder#resumeFrom} continues it. A recipe that averages
     * weights saves the average as the model (what loading the file for sampling uses) and the raw weights with the
     * optimiser's moments.
     */
    public void saveCheckpoint(Path file) throws IOException {
        Checkpoint.save(file, model.parts(), state);
    }

    /**
     * The model being trained (its parameters change as the run goes). When the recipe averages weights
     * ({@link TrainingConfig#emaDecay()}), it holds the average before and after {@link #train}, and the raw weights
     * only while steps run (as a {@link TrainingListener} sees it); {@link #evaluate()} always uses the average.
     */
    public DiffusionModel model() {
        return model;
    }

    public EncodedCorpus trainingSet() {
        return data.train();
    }

    public EncodedCorpus validationSet() {
        return data.validation();
    }

    public DataSplit split() {
        return split;
    }

    public TrainingConfig recipe() {
        return recipe;
    }

    public long seed() {
        return random.seed();
    }

    public int threads() {
        return threads;
    }

    /** Steps taken so far (a resumed run starts at its saved step). */
    public int step() {
        return state.step();
    }

    /** The loss of every step taken so far. */
    public double[] losses() {
        return state.losses();
    }

    public boolean resumed() {
        return resumed;
    }

    /** The evaluation points passed so far (every {@link Builder#evaluateEvery} steps). */
    public List<EvaluationPoint> evaluations() {
        return List.copyOf(evaluations);
    }

    /**
     * Sets up a run; {@link #build()} checks everything and prepares the model, before any training. Every setting
     * has a default: the "mlp" denoiser on the "cosine" schedule with the "char" tokenizer, the denoiser's own row
     * length and tuned recipe ({@link #DEFAULT_RECIPE}), 10 % held out, seed 1, all available processors.
     */
    public static final class Builder {

        public static final String DEFAULT_DENOISER = "mlp";
        public static final String DEFAULT_SCHEDULE = "cosine";
        public static final String DEFAULT_TOKENIZER = "char";
        public static final double DEFAULT_VALIDATION = 0.1;
        /** The reference's recipe for each denoiser. */
        public static final String REFERENCE_RECIPE = "reference";
        /** Each denoiser's tuned recipe. */
        public static final String TUNED_RECIPE = "tuned";
        /** The recipe of a run that names none. */
        public static final String DEFAULT_RECIPE = TUNED_RECIPE;

        private final List<String> corpus;
        private String denoiser = DEFAULT_DENOISER;
        private final Map<String, String> denoiserSettings = new TreeMap<>();
        private String schedule = DEFAULT_SCHEDULE;
        private final Map<String, String> scheduleSettings = new TreeMap<>();
        private String tokenizer = DEFAULT_TOKENIZER;
        private Integer maxLength;
        private double validationFraction = DEFAULT_VALIDATION;
        private long seed = 1;
        private int threads = Parallel.defaultThreads();
        private TrainingConfig recipe;
        private String recipeName = DEFAULT_RECIPE;
        private Integer steps;
        private Integer batchSize;
        private Double learningRate;
        private Integer diffusionSteps;
        private Objective objective;
        private Double labelDropout;
        private List<String> labels;
        private int evaluateEvery;
        private int evaluationNodes = Nelbo.DEFAULT_NODES;
        private int checkpointEvery;
        private Path checkpointFile;
        private Path resumeFrom;
        /** What was set explicitly, by setting name, so that resuming can refuse a change. */
        private final Map<String, Object> explicit = new LinkedHashMap<>();

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
        }

        private Builder set(String setting, Object value) {
            explicit.put(setting, value);
            return this;
        }

        /** The denoiser's provider name ("mlp", "mlp-skip", "transformer", or a plug-in's). */
        public Builder denoiser(String name) {
            denoiser = name;
            return set("denoiser", name);
        }

        /** One of the denoiser's settings over its defaults (e.g. {@code hidden} of the MLPs). */
        public Builder denoiserSetting(String key, Object value) {
            denoiserSettings.put(key, String.valueOf(value));
            return set("denoiserSettings", denoiserSettings);
        }

        public Builder schedule(String name) {
            schedule = name;
            return set("schedule", name);
        }

        /** One of the schedule's settings (e.g. {@code exponent} of "polynomial"). */
        public Builder scheduleSetting(String key, Object value) {
            scheduleSettings.put(key, String.valueOf(value));
            return set("scheduleSettings", scheduleSettings);
        }

        public Builder tokenizer(String name) {
            tokenizer = name;
            return set("tokenizer", name);
        }

        /** The row length: the longest text kept (default: the denoiser's). */
        public Builder maxLength(int value) {
            maxLength = value;
            return set("maxLength", value);
        }

        /** The share of the corpus held out for validation, chosen by the seed (0.1; 0 trains on all). */
        public Builder validationFraction(double value) {
            validationFraction = value;
            return set("validationFraction", value);
        }

        /** The seed of the split, the initial weights, the batches and the masks (1). */
        public Builder seed(long value) {
            seed = value;
            return set("seed", value);
        }

        /** Threads for training and evaluation (default: the available processors); results do not depend on it. */
        public Builder threads(int value) {
            threads = value;
            return this;
        }

        /** A whole recipe instead of the denoiser's own; the single settings below still apply over it. */
        public Builder recipe(TrainingConfig value) {
            if (value == null) {
                throw new IllegalArgumentException("recipe must not be null");
            }
            recipe = value;
            recipeName = null;
            return set("recipe", value);
        }

        /**
         * One of the denoiser's own recipes by name: {@value #REFERENCE_RECIPE} (the reference's, as
         * {@link DenoiserProvider#referenceTraining()}) or {@value #TUNED_RECIPE} (tuned by measured validation NELBO,
         * {@link DenoiserProvider#tunedTraining()}); default {@value #DEFAULT_RECIPE}.
         */
        public Builder recipe(String name) {
            if (!REFERENCE_RECIPE.equals(name) && !TUNED_RECIPE.equals(name)) {
                throw new IllegalArgumentException("recipe must be " + REFERENCE_RECIPE + " or " + TUNED_RECIPE
                        + ", got " + (name == null ? "none" : "'" + Messages.printable(name, 40) + "'"));
            }
            recipeName = name;
            recipe = null;
            return set("recipeName", name);
        }

        public Builder steps(int value) {
            steps = value;
            return set("steps", value);
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return set("batchSize", value);
        }

        /** The peak learning rate. */
        public Builder learningRate(double value) {
            learningRate = value;
            return set("learningRate", value);
        }

        /** T, the number of diffusion steps. */
        public Builder diffusionSteps(int value) {
            diffusionSteps = value;
            return set("diffusionSteps", value);
        }

        public Builder objective(Objective value) {
            objective = value;
            return set("objective", value);
        }

        /**
         * A label per line of the corpus ({@code labels.get(n)} is line n's), for a denoiser conditioned on them
         * (one whose provider {@link DenoiserProvider#takesLabels() takes labels}). Label ids follow the names'
         * sorted order; the model keeps the names.
         */
        public Builder labels(List<String> value) {
            labels = List.copyOf(value);
            return this;
        }

        /** The probability a labelled row is trained without its label (default 0.1). */
        public Builder labelDropout(double value) {
            labelDropout = value;
            return set("labelDropout", value);
        }

        /** Evaluate the validation NELBO every this many steps (0: never during the run). */
        public Builder evaluateEvery(int value) {
            evaluateEvery = value;
            return this;
        }

        /** Gauss–Legendre nodes of the run's evaluations (16). */
        public Builder evaluationNodes(int value) {
            evaluationNodes = value;
            return this;
        }

        /** Save a resumable checkpoint to {@code file} every {@code everySteps} steps. */
        public Builder checkpointEvery(int everySteps, Path file) {
            checkpointEvery = everySteps;
            checkpointFile = file;
            return this;
        }

        /**
         * Continue the run saved in {@code file} by {@link TrainingRun#saveCheckpoint} on the same corpus. The saved
         * recipe, denoiser, schedule, split and seed are kept; setting any of them to another value is refused.
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
         */
        public TrainingRun build() throws IOException {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
            }
            if (evaluateEvery < 0 || evaluationNodes < 1
                    || evaluationNodes > dev.microdiffusion.core.internal.math.GaussLegendre.MAX_NODES) {
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
            TrainingRun run = resumeFrom == null ? fresh() : resumed();
            if (evaluateEvery > 0 && run.validationSet().size() == 0) {
                throw new IllegalArgumentException("evaluateEvery needs held-out texts: set a validation fraction "
                        + "above 0");
            }
            return run;
        }

        private TrainingRun fresh() {
            DenoiserProvider provider = Registry.find(DenoiserProvider.class, denoiser);
            NoiseSchedule noise = Registry.find(NoiseScheduleProvider.class, schedule).create(scheduleSettings);
            TokenizerProvider tokenizers = Registry.find(TokenizerProvider.class, tokenizer);
            TrainingConfig training = withOverrides(recipe != null ? recipe : named(provider));
            int length = maxLength != null ? maxLength : provider.defaultMaxLength();
            // before the tokenizer, whose encoded corpus is texts × rows
            if (length < 1 || length > DenoiserConfig.MAX_LENGTH) {
                throw new IllegalArgumentException("maxLength must be in 1.." + DenoiserConfig.MAX_LENGTH + ", got "
                        + length);
            }
            List<String> labelNames = labelNames();
            if (!labelNames.isEmpty() && !provider.takesLabels()) {
                throw new IllegalArgumentException("the " + denoiser + " denoiser takes no labels");
            }
            Tokenizer fitted = tokenizers.fit(corpus, length);
            EncodedCorpus all = withLabels(fitted.encodeCorpus(corpus), fitted, labelNames);
            if (validationFraction > 0 && all.size() < 2) {
                throw new IllegalArgumentException("holding texts out needs at least two; set the validation "
                        + "fraction to 0");
            }
            DataSplit split = new DataSplit(validationFraction, seed, all.fingerprint());
            RandomStreams random = new RandomStreams(seed);
            DenoiserConfig defaults = provider.defaultConfig(fitted.vocabSize());
            Map<String, String> options = new TreeMap<>(defaults.options());
            options.putAll(denoiserSettings);
            Denoiser made = provider.create(new DenoiserConfig(provider.name(), fitted.vocabSize(), length,
                    labelNames.size(), options), random.stream("init"));
            DiffusionModel model = new DiffusionModel(fitted, made, noise, training.diffusionSteps(), split, null,
                    labelNames);
            return new TrainingRun(this, model, split.apply(all), split, training, random, null);
        }

        private TrainingConfig named(DenoiserProvider provider) {
            return TUNED_RECIPE.equals(recipeName) ? provider.tunedTraining() : provider.referenceTraining();
        }

        private TrainingConfig withOverrides(TrainingConfig base) {
            TrainingConfig.Builder config = base.toBuilder();
            if (steps != null) {
                config.steps(steps);
            }
            if (batchSize != null) {
                config.batchSize(batchSize);
            }
            if (learningRate != null) {
                config.learningRate(learningRate);
            }
            if (diffusionSteps != null) {
                config.diffusionSteps(diffusionSteps);
            }
            if (objective != null) {
                config.objective(objective);
            }
            if (labelDropout != null) {
                config.labelDropout(labelDropout);
            }
            return config.build();
        }

        /** The sorted distinct label names (none for an unlabelled corpus). */
        private List<String> labelNames() {
            if (labels == null) {
                return List.of();
            }
            if (labels.size() != corpus.size()) {
                throw new IllegalArgumentException(labels.size() + " labels for " + corpus.size() + " lines");
            }
            java.util.TreeSet<String> names = new java.util.TreeSet<>();
            for (int n = 0; n < labels.size(); n++) {
                String label = labels.get(n);
                if (label == null || label.isBlank()) {
                    throw new IllegalArgumentException("line " + (n + 1) + " has no label");
                }
                names.add(label);
            }
            return List.copyOf(names);
        }

        /** The encoded corpus with each text's label id among {@code names} (unchanged when there are none). */
        private EncodedCorpus withLabels(EncodedCorpus encoded, Tokenizer tokenizer, List<String> names) {
            if (labels == null) {
                return encoded;
            }
            int[] ids = new int[labels.size()];
            for (int n = 0; n < ids.length; n++) {
                ids[n] = names.indexOf(labels.get(n));
                if (ids[n] < 0) {
                    throw new IllegalArgumentException("line " + (n + 1) + " has the label '" + labels.get(n)
                            + "', which the saved run does not know (" + String.join(", ", names) + ")");
                }
            }
            return encoded.labelled(corpus, ids, tokenizer);
        }

        private TrainingRun resumed() throws IOException {
            Checkpoint.Loaded loaded = Checkpoint.load(resumeFrom, LoadOptions.none());
            Checkpoint.SavedTraining saved = loaded.training();
            if (saved == null) {
                throw new CheckpointException(resumeFrom + " holds a model but no training state (a run saved with "
                        + "saveCheckpoint has one)");
            }
            DiffusionModel model = DiffusionModel.of(loaded);
            DataSplit split = model.split().orElse(new DataSplit(0, saved.seed(), null));
            refuseChanges(model, saved.config(), split, saved.seed());
            if (model.labels().isEmpty() != (labels == null)) {
                throw new IllegalArgumentException(labels == null ? "the saved run is labelled: give the corpus's labels"
                        : "the saved run has no labels, yet labels are given");
            }
            // the saved vocabulary and labels, not ones made anew: ids must mean what they meant
            EncodedCorpus all = withLabels(model.tokenizer().encodeCorpus(corpus), model.tokenizer(), model.labels());
            DataSplit kept = new DataSplit(split.validationFraction(), saved.seed(), all.fingerprint());
            DiffusionModel restored = new DiffusionModel(model.tokenizer(), model.denoiser(), model.schedule(),
                    model.diffusionSteps(), kept, null, model.labels());
            return new TrainingRun(this, restored, kept.apply(all), kept, saved.config(),
                    new RandomStreams(saved.seed()), saved);
        }

        /** Whether a recipe is the saved one but for the settings checked one by one (steps, learning rate…). */
        private static boolean sameRecipe(TrainingConfig recipe, TrainingConfig saved) {
            return recipe.toBuilder().steps(saved.steps()).batchSize(saved.batchSize())
                    .learningRate(saved.learningRate()).diffusionSteps(saved.diffusionSteps())
                    .objective(saved.objective()).labelDropout(saved.labelDropout()).build().equals(saved);
        }

        /** A resumed run continues the saved recipe: settings that would change it are refused, not ignored. */
        private void refuseChanges(DiffusionModel model, TrainingConfig saved, DataSplit split, long savedSeed) {
            List<String> conflicts = new ArrayList<>();
            explicit.forEach((setting, value) -> {
                boolean same = switch (setting) {
                    case "denoiser" -> value.equals(model.denoiser().name());
                    case "seed" -> value.equals(savedSeed);
                    case "steps" -> value.equals(saved.steps());
                    case "batchSize" -> value.equals(saved.batchSize());
                    case "learningRate" -> value.equals(saved.learningRate());
                    case "diffusionSteps" -> value.equals(saved.diffusionSteps());
                    case "maxLength" -> value.equals(model.tokenizer().maxLength());
                    case "schedule" -> value.equals(model.schedule().name());
                    case "objective" -> value == saved.objective();
                    case "validationFraction" -> value.equals(split.validationFraction());
                    case "tokenizer" -> value.equals(model.tokenizer().name());
                    case "labelDropout" -> value.equals(saved.labelDropout());
                    case "recipeName" -> sameRecipe(named(Registry.find(DenoiserProvider.class,
                            model.denoiser().name())), saved);
                    case "recipe" -> sameRecipe((TrainingConfig) value, saved);
                    default -> false;
                };
                if (!same) {
                    conflicts.add(setting);
                }
            });
            if (!conflicts.isEmpty()) {
                throw new ResumeConflictException(conflicts, resumeFrom);
            }
        }
    }

    /** Settings given to a resumed run that differ from the saved run's. */
    public static final class ResumeConflictException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final List<String> settings;

        ResumeConflictException(List<String> settings, Path file) {
            super(String.join(", ", settings) + " differ from the run saved in " + file
                    + "; a resumed run keeps its recipe");
            this.settings = List.copyOf(settings);
        }

        /** The builder settings that differ, by their method names ("steps", "seed"…). */
        public List<String> settings() {
            return settings;
        }
    }
}
