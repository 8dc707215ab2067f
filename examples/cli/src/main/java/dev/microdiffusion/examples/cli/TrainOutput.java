package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.ForwardProcess;
import dev.microdiffusion.core.spi.NoiseScheduleProvider;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.SamplerProvider;
import dev.microdiffusion.core.spi.TokenizerProvider;
import dev.microdiffusion.core.training.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What {@code train} prints besides progress: the forward process of one name, generated names, the providers. */
final class TrainOutput {

    private TrainOutput() {
    }

    /** What the run trains: corpus, vocabulary, model; then the forward process of one name, or where it resumes. */
    static void header(PrintWriter out, TrainingRun run, String source, Path resumedFrom) {
        DiffusionModel model = run.model();
        out.printf("corpus: %s — %,d names for training, %,d held out for validation, %,d longer than %d dropped%n",
                source, run.trainingSet().size(), run.validationSet().size(), run.trainingSet().dropped(),
                model.tokenizer().maxLength());
        out.printf("vocabulary: %d ids (%s + PAD + MASK)%n", model.tokenizer().vocabSize(),
                model.tokenizer().vocabulary());
        if (!model.labels().isEmpty()) {
            StringBuilder counts = new StringBuilder();
            for (int id = 0; id < model.labels().size(); id++) {
                int label = id;
                long n = Arrays.stream(run.trainingSet().labels()).filter(l -> l == label).count();
                counts.append(id == 0 ? "" : ", ").append(String.format("%s %,d", model.labels().get(id), n));
            }
            out.printf("labels: %s training names; label dropout %.2f%n", counts, run.recipe().labelDropout());
        }
        out.printf("denoiser: %s, %,d parameters; schedule %s, T = %d; objective %s; seed %d%n",
                model.denoiser().name(), model.denoiser().parameterCount(), model.schedule().name(),
                run.recipe().diffusionSteps(), run.recipe().objective().option(), run.seed());
        out.println();
        if (run.resumed()) {
            out.printf("resuming %s at step %,d of %,d%n", resumedFrom, run.step(), run.recipe().steps());
        } else {
            forwardProcess(out, run);
        }
        out.println();
    }

    /**
     * The forward process of one name at a few times, as the reference prints it. Every t reuses the same uniforms,
     * so each t shows the usual x_t and the masks of a later t contain those of an earlier one.
     */
    static void forwardProcess(PrintWriter out, TrainingRun run) {
        EncodedCorpus corpus = run.trainingSet();
        int steps = run.recipe().diffusionSteps();
        RandomStreams random = new RandomStreams(run.seed());
        int length = corpus.length();
        int row = random.stream("demo").nextInt(corpus.size());
        int[] clean = new int[length];
        System.arraycopy(corpus.ids(), row * length, clean, 0, length);
        int[] noisy = new int[length];
        ForwardProcess forward = new ForwardProcess(run.model().schedule(), run.model().tokenizer().maskId());
        out.printf("forward process of '%s' (_ = MASK, . = PAD):%n", corpus.texts().get(row));
        for (int k : new int[] {0, steps / 4, steps / 2, 3 * steps / 4, steps}) {
            double t = (double) k / steps;
            forward.mask(clean, noisy, 0, length, t, random.stream("demo-mask"));
            out.printf("  k %3d  t %.2f  rate %.3f  %s%n", k, t, run.model().schedule().rate(t),
                    CanvasView.row(run.model().tokenizer(), noisy, 0, length));
        }
    }

    static void names(PrintWriter out, List<String> names, Set<String> known) {
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

    static void providers(PrintWriter out) {
        out.println("denoisers:  " + String.join(", ", Registry.names(DenoiserProvider.class)));
        out.println("schedules:  " + String.join(", ", Registry.names(NoiseScheduleProvider.class)));
        out.println("samplers:   " + String.join(", ", Registry.names(SamplerProvider.class)));
        out.println("tokenizers: " + String.join(", ", Registry.names(TokenizerProvider.class)));
    }

    /** The temperatures of the sweep printed after training. */
    static final double[] SWEEP = {0.5, 0.8, 1.0, 1.5};

    /** Ten names at each temperature of {@link #SWEEP}, each from its own stream of the run's seed. */
    static Map<String, Generation> sweep(SamplingCli sampling, DiffusionModel model, long seed) {
        Map<String, Generation> sweep = new LinkedHashMap<>();
        for (double tau : SWEEP) {
            sweep.put(Double.toString(tau), sampling.apply(model.generation(), tau).count(10).threads(1)
                    .random(new RandomStreams(seed).stream("sweep-" + tau)).build());
        }
        return sweep;
    }

    /** Generates and prints the sweep; returns its names by temperature. */
    static Map<String, List<String>> printSweep(PrintWriter out, Map<String, Generation> sweep) {
        Map<String, List<String>> swept = new LinkedHashMap<>();
        out.println();
        out.println("temperature sweep:");
        sweep.forEach((tau, request) -> {
            List<String> some = request.generate();
            swept.put(tau, some);
            out.printf("  τ %.1f: %s%n", Double.parseDouble(tau),
                    String.join(" ", some.stream().map(n -> n.isEmpty() ? "∅" : n).toList()));
        });
        return swept;
    }

    /** What training took, the validation NELBO and where the model went. */
    static void trained(PrintWriter out, TrainingResult result, Nelbo nelbo, Path saved) {
        out.printf("trained %,d steps in %.1f s (%.0f steps/s); mean loss of the last 1000 steps %.4f%n",
                result.stepsTaken(), result.wallSeconds(), result.stepsPerSecond(), result.meanLossOfLast(1000));
        if (nelbo != null) {
            EvaluationPrinter.printNelbo(out, "validation", nelbo);
        }
        if (saved != null) {
            out.println("model saved to " + saved);
        }
        out.println();
    }

    /** The names a run generated, marked when not in its training set, with their rate. */
    static void generated(PrintWriter out, List<String> names, Generation generation, double seconds,
            TrainingRun run) {
        out.printf("%d names at temperature %.2f (%.0f names/s):%n", names.size(), generation.options().temperature(),
                names.size() / Math.max(seconds, 1e-9));
        names(out, names, new HashSet<>(run.trainingSet().texts()));
    }
}
