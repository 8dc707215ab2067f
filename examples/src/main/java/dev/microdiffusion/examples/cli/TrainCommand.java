package dev.microdiffusion.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.microdiffusion.core.Denoiser;
import dev.microdiffusion.core.DenoiserConfig;
import dev.microdiffusion.core.DenoiserProvider;
import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.EncodedCorpus;
import dev.microdiffusion.core.ForwardProcess;
import dev.microdiffusion.core.NoiseSchedule;
import dev.microdiffusion.core.NoiseScheduleProvider;
import dev.microdiffusion.core.Parallel;
import dev.microdiffusion.core.RandomStreams;
import dev.microdiffusion.core.Registry;
import dev.microdiffusion.core.Sampler;
import dev.microdiffusion.core.SamplerProvider;
import dev.microdiffusion.core.StepObserver;
import dev.microdiffusion.core.Tokenizer;
import dev.microdiffusion.core.TokenizerProvider;
import dev.microdiffusion.core.SamplingOptions;
import dev.microdiffusion.core.Template;
import dev.microdiffusion.core.evaluation.KneserNeyModel;
import dev.microdiffusion.core.evaluation.NelboEvaluator;
import dev.microdiffusion.core.training.Objective;
import dev.microdiffusion.core.training.Trainer;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.core.training.TrainingResult;
import dev.microdiffusion.core.training.TrainingState;
import dev.microdiffusion.core.checkpoint.Checkpoint;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a denoiser on a corpus of names and generates new ones, printing what the reference's scripts print: the
 * forward process of one name, training progress, generated names and a temperature sweep.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a denoiser on names (default: datafaker's English first names) and generate new names.")
public final class TrainCommand implements Callable<Integer> {

    static final double[] SWEEP = {0.5, 0.8, 1.0, 1.5};

    @Spec
    CommandSpec spec;

    @Option(names = "--denoiser", defaultValue = "mlp", description = "denoiser name (${DEFAULT-VALUE}); see --list")
    String denoiserName;

    @Option(names = "--schedule", defaultValue = "cosine", description = "noise schedule (${DEFAULT-VALUE})")
    String scheduleName;

    @Mixin
    SamplingCli sampling;

    @Option(names = "--schedule-option", paramLabel = "KEY=VALUE",
            description = "a setting of the schedule, e.g. exponent=3 for polynomial (saved with the model)")
    Map<String, String> scheduleOptions = new LinkedHashMap<>();

    @Option(names = "--objective", defaultValue = "reference",
            description = "training loss: reference (cross-entropy everywhere, the reference's) or mdlm (MDLM's "
                    + "weighted masked-only bound) (${DEFAULT-VALUE})")
    String objective;

    @Option(names = "--validation", defaultValue = "0.1",
            description = "fraction of the names held out for validation, chosen by --seed (${DEFAULT-VALUE}; 0 trains on all)")
    double validation;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "0",
            description = "report the validation NELBO every N steps (0: only at the end)")
    int evalEvery;

    @Option(names = "--eval-nodes", defaultValue = "16", description = "Gauss–Legendre nodes of the NELBO (${DEFAULT-VALUE})")
    int evalNodes;

    @Option(names = "--plot", paramLabel = "DIR", description = "write PNG charts (loss, NELBO, schedule, lengths, reveal order) to DIR")
    Path plot;

    @Option(names = "--tokenizer", defaultValue = "char", description = "tokenizer (${DEFAULT-VALUE})")
    String tokenizerName;

    @Option(names = "--data", paramLabel = "FILE", description = "corpus, one name per line (default: datafaker's names)")
    Path data;

    @Option(names = "--steps", description = "training steps (default: the denoiser's reference recipe, 5000 for MLPs)")
    Integer steps;

    @Option(names = "--batch-size", description = "rows per training step (default: the recipe's, 64)")
    Integer batchSize;

    @Option(names = "--learning-rate", description = "peak learning rate (default: the recipe's)")
    Double learningRate;

    @Option(names = "--diffusion-steps", description = "T, the number of diffusion steps (default: the recipe's)")
    Integer diffusionSteps;

    @Option(names = "--max-length", description = "longest name kept; longer ones are dropped (default: the denoiser's)")
    Integer maxLength;

    @Option(names = "--samples", defaultValue = "20", description = "names to generate (${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--seed", defaultValue = "1", description = "seed for data order, masks, init and sampling (${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "threads for training and sampling (default: the available processors); results do not depend on it")
    Integer threads;

    @Option(names = "--quiet", description = "print only the generated names")
    boolean quiet;

    @Option(names = "--report", paramLabel = "FILE", description = "write the run as JSON")
    Path report;

    @Option(names = "--save", paramLabel = "FILE", description = "save the trained model (safetensors)")
    Path save;

    @Option(names = "--save-every", paramLabel = "N", defaultValue = "0",
            description = "also save every N steps, with the training state, so the run can --resume (needs --save)")
    int saveEvery;

    @Option(names = "--resume", paramLabel = "FILE", description = "continue the run saved in FILE by --save-every")
    Path resume;

    @Option(names = "--list", description = "list the registered denoisers, schedules, samplers and tokenizers, then exit")
    boolean list;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            listProviders(out);
            return 0;
        }
        if (samples < 0) {
            throw new IllegalArgumentException("--samples must be ≥ 0, got " + samples);
        }
        if (saveEvery < 0 || (saveEvery > 0 && save == null)) {
            throw new IllegalArgumentException("--save-every needs --save and a count ≥ 1");
        }
        int workers = threads != null ? threads : Parallel.defaultThreads();
        if (workers < 1) {
            throw new IllegalArgumentException("--threads must be ≥ 1, got " + workers);
        }
        if (plot != null) {
            Plots.checkTarget(plot);
        }
        if (evalEvery < 0) {
            throw new IllegalArgumentException("--eval-every must be ≥ 0, got " + evalEvery);
        }
        SamplerProvider samplerProvider = sampling.provider();
        Sampler sampler = samplerProvider.create();
        List<String> lines = data == null ? DefaultCorpus.names() : readLines(data);
        String source = data == null ? DefaultCorpus.source() : data.toString();

        Setup setup = resume == null ? fresh(lines) : resumed(lines);
        Tokenizer tokenizer = setup.tokenizer();
        EncodedCorpus corpus = setup.corpus();
        EncodedCorpus heldOut = setup.validation();
        if (evalEvery > 0 && heldOut.size() == 0) {
            throw new IllegalArgumentException("--eval-every needs held-out names: give --validation above 0");
        }
        Denoiser denoiser = setup.denoiser();
        NoiseSchedule schedule = setup.schedule();
        TrainingConfig training = setup.training();
        RandomStreams random = setup.random();
        Trainer trainer = new Trainer(denoiser, schedule, tokenizer.maskId(), training, workers);
        TrainingState state = trainer.start(corpus, random);
        if (setup.saved() != null) {
            setup.saved().restoreInto(state);
        }
        DiffusionModel model = new DiffusionModel(tokenizer, denoiser, schedule, training.diffusionSteps());

        if (!quiet) {
            out.printf("corpus: %s — %,d names for training, %,d held out for validation, %,d longer than %d dropped%n",
                    source, corpus.size(), heldOut.size(), corpus.dropped(), tokenizer.maxLength());
            out.printf("vocabulary: %d ids (%s + PAD + MASK)%n", tokenizer.vocabSize(), tokenizer.vocabulary());
            out.printf("denoiser: %s, %,d parameters; schedule %s, T = %d; objective %s; seed %d%n", denoiser.name(),
                    denoiser.parameterCount(), schedule.name(), training.diffusionSteps(), training.objective().option(),
                    random.seed());
            out.println();
            if (resume == null) {
                showForwardProcess(out, tokenizer, corpus, schedule, training.diffusionSteps(), random);
            } else {
                out.printf("resuming %s at step %,d of %,d%n", resume, state.step(), training.steps());
            }
            out.println();
        }

        TrainingListener progress = quiet ? TrainingListener.NONE : new ProgressBar(out, System.console() != null);
        List<Plots.EvalPoint> curve = new ArrayList<>();
        TrainingListener listener = progress;
        if (evalEvery > 0 && heldOut.size() > 0) {
            listener = (step, steps, loss, t) -> {
                progress.onStep(step, steps, loss, t);
                if ((step + 1) % evalEvery == 0 && step + 1 < steps) {
                    NelboEvaluator.Result r = Evaluation.nelbo(model, heldOut, evalNodes, 1, workers, EVAL_SEED);
                    curve.add(new Plots.EvalPoint(step + 1, r.bitsPerChar(), r.bitsPerCharError()));
                    if (!quiet) {
                        out.printf("  step %,d: validation NELBO %.4f ± %.4f bits/char%n", step + 1, r.bitsPerChar(),
                                r.bitsPerCharError());
                    }
                }
            };
        }
        Map<String, String> run = Map.of(VALIDATION_KEY, Double.toString(setup.validationFraction()), SEED_KEY,
                Long.toString(random.seed()), DATA_KEY, Long.toString(setup.dataFingerprint()));
        TrainingResult result = trainer.run(corpus, state, listener, saveEvery, s -> saveQuietly(model, s, run));
        if (save != null) {
            // a run saved as it goes keeps its training state at the end too, so its last file still resumes
            Checkpoint.save(save, model, saveEvery > 0 ? state : null, run);
        }
        NelboEvaluator.Result nelbo = null;
        if (heldOut.size() > 0) {
            nelbo = Evaluation.nelbo(model, heldOut, evalNodes, 1, workers, EVAL_SEED);
            curve.add(new Plots.EvalPoint(state.step(), nelbo.bitsPerChar(), nelbo.bitsPerCharError()));
        }
        if (!quiet) {
            out.printf("trained %,d steps in %.1f s (%.0f steps/s); mean loss of the last 1000 steps %.4f%n",
                    result.stepsTaken(), result.wallSeconds(), result.stepsPerSecond(), result.meanLossOfLast(1000));
            if (nelbo != null) {
                Evaluation.printNelbo(out, "validation", nelbo);
            }
            if (save != null) {
                out.println("model saved to " + save);
            }
            out.println();
        }

        Set<String> known = new HashSet<>(corpus.texts());
        SamplingOptions options = sampling.options(training.diffusionSteps());
        double temperature = options.temperature();
        RevealTracker reveals = new RevealTracker(options.steps(), tokenizer.maxLength());
        long sampleStart = System.nanoTime();
        List<String> names = model.generate(samples, 64, workers, samplerProvider::create, options,
                Template.free(tokenizer), random.stream("sample"), plot != null ? reveals : StepObserver.NONE);
        double sampleSeconds = (System.nanoTime() - sampleStart) / 1e9;
        if (quiet) {
            names.forEach(out::println);
        } else {
            out.printf("%d names at temperature %.2f (%.0f names/s):%n", names.size(), temperature,
                    names.size() / Math.max(sampleSeconds, 1e-9));
            printNames(out, names, known);
        }

        Map<String, List<String>> sweep = new LinkedHashMap<>();
        if (!quiet) {
            out.println();
            out.println("temperature sweep:");
            for (double tau : SWEEP) {
                List<String> some = model.generate(10, 64, 1, samplerProvider::create,
                        sampling.options(training.diffusionSteps(), tau), Template.free(tokenizer),
                        random.stream("sweep-" + tau), StepObserver.NONE);
                sweep.put(Double.toString(tau), some);
                out.printf("  τ %.1f: %s%n", tau, String.join(" ", some.stream().map(n -> n.isEmpty() ? "∅" : n).toList()));
            }
        }
        Evaluation.QualityReport quality = null;
        if (!names.isEmpty() && heldOut.size() > 0) {
            quality = Evaluation.quality(sampler.name(), options, names, corpus, heldOut,
                    KneserNeyModel.DEFAULT_ORDER, tokenizer.maxLength());
            if (!quiet) {
                out.println();
                Evaluation.printQuality(out, quality);
            }
        }
        out.flush();
        if (report != null) {
            writeReport(report, new RunReport(source, corpus.size(), corpus.dropped(), tokenizer.vocabSize(), random.seed(),
                    denoiser.name(), denoiser.config().options(), denoiser.parameterCount(), schedule.name(),
                    sampler.name(), training, RunReport.curve(result), result.meanLossOfLast(1000),
                    result.wallSeconds(), result.stepsPerSecond(), temperature, names, sampleSeconds,
                    names.isEmpty() ? 0 : names.size() / Math.max(sampleSeconds, 1e-9), novelFraction(names, known), sweep,
                    heldOut.size(), curve, nelbo, options, quality));
            if (!quiet) {
                out.println("report written to " + report);
            }
        }
        if (plot != null) {
            Plots plots = new Plots(plot);
            plots.training(result.losses(), curve, denoiser.name() + ", objective " + training.objective().option());
            plots.schedule(schedule);
            if (quality != null) {
                plots.lengths(quality.quality().lengthsSamples(), quality.quality().lengthsData(),
                        "lengths: " + names.size() + " generated names against the training names");
            }
            if (!names.isEmpty()) {
                plots.revealOrder(reveals, "reveal order, sampler " + sampler.name() + " (" + names.size() + " names)");
            }
            if (!quiet) {
                out.println("charts written to " + plot);
            }
        }

        return 0;
    }

    /** What a run trains: a new model, or one restored from a checkpoint with its saved training state. */
    private record Setup(Tokenizer tokenizer, EncodedCorpus corpus, EncodedCorpus validation, double validationFraction,
            long dataFingerprint, Denoiser denoiser, NoiseSchedule schedule, TrainingConfig training, RandomStreams random,
            Checkpoint.SavedTraining saved) {
    }

    /** The seed of every NELBO this command reports, so figures compare across steps and runs. */
    static final long EVAL_SEED = 1;

    /** Checkpoint metadata (under run.) saying which fraction of the data the run held out with its seed. */
    static final String VALIDATION_KEY = "validation";
    /** Checkpoint metadata (under run.): the run's seed, which chose the held-out names. */
    static final String SEED_KEY = "seed";
    /** Checkpoint metadata (under run.): a fingerprint of the whole corpus before the split, so eval can tell. */
    static final String DATA_KEY = "data";

    private Setup fresh(List<String> lines) {
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, denoiserName);
        NoiseSchedule schedule = Registry.find(NoiseScheduleProvider.class, scheduleName).create(scheduleOptions);
        TokenizerProvider tokenizers = Registry.find(TokenizerProvider.class, tokenizerName);
        TrainingConfig training = trainingConfig(provider);
        int length = maxLength != null ? maxLength : provider.defaultConfig(3).maxLength();
        Tokenizer tokenizer = tokenizers.fit(lines, length);
        EncodedCorpus all = tokenizer.encodeCorpus(lines);
        if (validation > 0 && all.size() < 2) {
            throw new IllegalArgumentException("holding names out needs at least two; give --validation 0");
        }
        EncodedCorpus.Split split = all.split(validation, seed);
        RandomStreams random = new RandomStreams(seed);
        Denoiser denoiser = provider.create(withLength(provider.defaultConfig(tokenizer.vocabSize()), length),
                random.stream("init"));
        return new Setup(tokenizer, split.train(), split.validation(), validation, Trainer.fingerprint(all), denoiser,
                schedule, training, random, null);
    }

    private Setup resumed(List<String> lines) throws IOException {
        Checkpoint.Loaded loaded = Checkpoint.load(resume, Checkpoint.LoadOptions.none());
        Checkpoint.SavedTraining saved = loaded.training();
        if (saved == null) {
            throw new IllegalArgumentException(resume + " holds a model but no training state (runs saved with "
                    + "--save-every have one)");
        }
        refuseChangesOnResume(loaded, saved);
        DiffusionModel model = loaded.model();
        // the saved vocabulary, not one fitted anew: ids must mean what they meant
        double fraction = savedValidation(loaded);
        EncodedCorpus all = model.tokenizer().encodeCorpus(lines);
        EncodedCorpus.Split split = all.split(fraction, saved.seed());
        return new Setup(model.tokenizer(), split.train(), split.validation(), fraction, Trainer.fingerprint(all),
                model.denoiser(),
                model.schedule(), saved.config(), new RandomStreams(saved.seed()), saved);
    }

    /** The validation fraction a saved run used (0 for files written before runs held data out). */
    static double savedValidation(Checkpoint.Loaded loaded) {
        String value = loaded.metadata().get(Checkpoint.RUN_PREFIX + VALIDATION_KEY);
        try {
            return value == null ? 0.0 : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the saved validation fraction '" + value + "' is not a number");
        }
    }

    private TrainingConfig trainingConfig(DenoiserProvider provider) {
        TrainingConfig.Builder config = provider.defaultTraining().toBuilder();
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
        config.objective(Objective.parse(objective));
        return config.build();
    }

    /** A resumed run continues the saved recipe: options that would change it are refused, not ignored. */
    private void refuseChangesOnResume(Checkpoint.Loaded loaded, Checkpoint.SavedTraining saved) {
        var parsed = spec.commandLine().getParseResult();
        TrainingConfig c = saved.config();
        List<String> conflicts = new java.util.ArrayList<>();
        check(conflicts, parsed.hasMatchedOption("--denoiser") && !denoiserName.equals(loaded.model().denoiser().name()),
                "--denoiser");
        check(conflicts, parsed.hasMatchedOption("--seed") && seed != saved.seed(), "--seed");
        check(conflicts, steps != null && steps != c.steps(), "--steps");
        check(conflicts, batchSize != null && batchSize != c.batchSize(), "--batch-size");
        check(conflicts, learningRate != null && learningRate != c.learningRate(), "--learning-rate");
        check(conflicts, diffusionSteps != null && diffusionSteps != c.diffusionSteps(), "--diffusion-steps");
        check(conflicts, maxLength != null && maxLength != loaded.model().tokenizer().maxLength(), "--max-length");
        check(conflicts, parsed.hasMatchedOption("--schedule") && !scheduleName.equals(loaded.model().schedule().name()),
                "--schedule");
        check(conflicts, !scheduleOptions.isEmpty(), "--schedule-option");
        check(conflicts, parsed.hasMatchedOption("--objective") && Objective.parse(objective) != c.objective(),
                "--objective");
        check(conflicts, parsed.hasMatchedOption("--validation") && validation != savedValidation(loaded),
                "--validation");
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", conflicts) + " differ from the run saved in " + resume
                    + "; a resumed run keeps its recipe");
        }
    }

    private static void check(List<String> conflicts, boolean conflict, String option) {
        if (conflict) {
            conflicts.add(option);
        }
    }

    private void saveQuietly(DiffusionModel model, TrainingState state, Map<String, String> run) {
        try {
            Checkpoint.save(save, model, state, run);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + save + " at step " + state.step() + ": " + e.getMessage(), e);
        }
    }

    private static DenoiserConfig withLength(DenoiserConfig config, int length) {
        return new DenoiserConfig(config.vocabSize(), length, config.options());
    }

    static List<String> readLines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such corpus file: " + file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text");
        }
    }

    /**
     * The forward process of one name at a few times, as the reference prints it. Every t reuses the same uniforms,
     * so each t shows the usual x_t and the masks of a later t contain those of an earlier one.
     */
    private static void showForwardProcess(PrintWriter out, Tokenizer tokenizer, EncodedCorpus corpus,
            NoiseSchedule schedule, int diffusionSteps, RandomStreams random) {
        int length = corpus.length();
        int row = random.stream("demo").nextInt(corpus.size());
        int[] clean = new int[length];
        System.arraycopy(corpus.ids(), row * length, clean, 0, length);
        int[] noisy = new int[length];
        ForwardProcess forward = new ForwardProcess(schedule, tokenizer.maskId());
        out.printf("forward process of '%s' (_ = MASK, . = PAD):%n", corpus.texts().get(row));
        for (int k : new int[] {0, diffusionSteps / 4, diffusionSteps / 2, 3 * diffusionSteps / 4, diffusionSteps}) {
            double t = (double) k / diffusionSteps;
            forward.mask(clean, noisy, 0, length, t, random.stream("demo-mask"));
            out.printf("  k %3d  t %.2f  rate %.3f  %s%n", k, t, schedule.rate(t), CanvasView.row(tokenizer, noisy, 0, length));
        }
    }

    private static void printNames(PrintWriter out, List<String> names, Set<String> known) {
        StringBuilder line = new StringBuilder("  ");
        for (String name : names) {
            String shown = (name.isEmpty() ? "∅" : name) + (known.contains(name) ? "" : "*");
            if (line.length() + shown.length() > 78) {
                out.println(line);
                line = new StringBuilder("  ");
            }
            line.append(shown).append(' ');
        }
        if (line.length() > 2) {
            out.println(line);
        }
        out.printf("  (* = not in the corpus: %.0f %% novel)%n", 100 * novelFraction(names, known));
    }

    static double novelFraction(List<String> names, Set<String> known) {
        if (names.isEmpty()) {
            return 0;
        }
        return names.stream().filter(n -> !known.contains(n)).count() / (double) names.size();
    }

    private void listProviders(PrintWriter out) {
        out.println("denoisers:  " + String.join(", ", Registry.names(DenoiserProvider.class)));
        out.println("schedules:  " + String.join(", ", Registry.names(NoiseScheduleProvider.class)));
        out.println("samplers:   " + String.join(", ", Registry.names(SamplerProvider.class)));
        out.println("tokenizers: " + String.join(", ", Registry.names(TokenizerProvider.class)));
    }

    /** Writes atomically: a reader never sees half a report, a failed write leaves the old one. */
    static void writeReport(Path file, Object report) throws IOException {
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, absolute.getFileName().toString(), ".tmp");
        try {
            json.writeValue(tmp.toFile(), report);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
