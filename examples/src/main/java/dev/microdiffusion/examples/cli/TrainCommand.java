package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.core.training.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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
 * forward process of one name, training progress, generated names and a temperature sweep. The work is the
 * library's {@link TrainingRun}; this class reads options and prints.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a denoiser on names (default: datafaker's English first names) and generate new names.")
public final class TrainCommand implements Callable<Integer> {

    static final double[] SWEEP = {0.5, 0.8, 1.0, 1.5};

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions recipe;

    @Mixin
    SamplingCli sampling;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "0",
            description = "report the validation NELBO every N steps (0: only at the end)")
    int evalEvery;

    @Option(names = "--eval-nodes", defaultValue = "16", description = "Gauss–Legendre nodes of the NELBO (${DEFAULT-VALUE})")
    int evalNodes;

    @Option(names = "--plot", paramLabel = "DIR", description = "write PNG charts (loss, NELBO, schedule, lengths, reveal order) to DIR")
    Path plot;

    @Option(names = "--data", paramLabel = "FILE", description = "corpus, one name per line (default: datafaker's names)")
    Path data;

    @Option(names = "--samples", defaultValue = "20", description = "names to generate (${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--threads", description = "threads for training and sampling (default: the available processors); results do not depend on it")
    Integer threads;

    @Option(names = "--quiet", description = "print only the generated names")
    boolean quiet;

    @Option(names = {"--json", "--report"}, paramLabel = "FILE", description = "write the run as JSON ('-': standard output, and nothing else there)")
    Path json;

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
            TrainOutput.providers(out);
            return 0;
        }
        if (samples < 0 || evalEvery < 0) {
            throw new IllegalArgumentException("--samples and --eval-every must be ≥ 0");
        }
        if (saveEvery < 0 || (saveEvery > 0 && save == null)) {
            throw new IllegalArgumentException("--save-every needs --save and a count ≥ 1");
        }
        if (resume == null && evalEvery > 0 && recipe.validation == 0) {
            throw new IllegalArgumentException("--eval-every needs held-out names: give --validation above 0");
        }
        if (plot != null) {
            Plots.checkTarget(plot);
        }
        JsonOutput.check(json, "--json");
        if (save != null && JsonOutput.toStdout(save)) {
            throw new IllegalArgumentException("--save needs a file: a model does not go to standard output");
        }
        JsonOutput.check(save, "--save");
        boolean talk = !quiet && !JsonOutput.toStdout(json);
        TrainingRun.Builder builder = recipe.apply(recipe.builder(data), spec.commandLine().getParseResult())
                .evaluateEvery(evalEvery).evaluationNodes(evalNodes);
        if (threads != null) {
            builder.threads(threads);
        }
        if (saveEvery > 0) {
            builder.checkpointEvery(saveEvery, save);
        }
        if (resume != null) {
            builder.resumeFrom(resume);
        }
        TrainingRun run = recipe.build(builder, data);
        DiffusionModel model = run.model();
        // every sampling setting is checked now, before the training it would follow
        Generation.Builder request = sampling.apply(model.generation()).count(samples).threads(run.threads())
                .seed(run.seed());
        Generation generation = request.build();
        // steps × positions counters: only for the chart
        RevealTracker reveals = plot == null ? null
                : new RevealTracker(generation.options().steps(), model.tokenizer().maxLength());
        if (reveals != null) {
            generation = request.observer(reveals).build();
        }
        Map<String, Generation> sweep = new LinkedHashMap<>();
        for (double tau : SWEEP) {
            sweep.put(Double.toString(tau), sampling.apply(model.generation(), tau).count(10).threads(1)
                    .random(new RandomStreams(run.seed()).stream("sweep-" + tau)).build());
        }

        if (talk) {
            TrainOutput.header(out, run, recipe.source(data), resume);
        }

        TrainingResult result = run.train(talk ? new ProgressBar(out, System.console() != null) : TrainingListener.NONE);
        if (save != null) {
            // a run saved as it goes keeps its training state at the end too, so its last file still resumes
            if (saveEvery > 0) {
                run.saveCheckpoint(save);
            } else {
                run.saveModel(save);
            }
        }
        List<Plots.EvalPoint> curve = new ArrayList<>(run.evaluations().stream()
                .map(p -> new Plots.EvalPoint(p.steps(), p.result().bitsPerChar(), p.result().bitsPerCharError()))
                .toList());
        Nelbo nelbo = null;
        if (run.validationSet().size() > 0) {
            nelbo = run.evaluate();
            curve.add(new Plots.EvalPoint(run.step(), nelbo.bitsPerChar(), nelbo.bitsPerCharError()));
        }
        if (talk) {
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

        Set<String> known = new HashSet<>(run.trainingSet().texts());
        long sampleStart = System.nanoTime();
        List<String> names = generation.generate();
        double sampleSeconds = (System.nanoTime() - sampleStart) / 1e9;
        if (quiet && !JsonOutput.toStdout(json)) {
            names.forEach(out::println);
        } else if (talk) {
            out.printf("%d names at temperature %.2f (%.0f names/s):%n", names.size(), generation.options().temperature(),
                    names.size() / Math.max(sampleSeconds, 1e-9));
            TrainOutput.names(out, names, known);
        }

        Map<String, List<String>> swept = new LinkedHashMap<>();
        if (talk) {
            out.println();
            out.println("temperature sweep:");
            sweep.forEach((tau, request10) -> {
                List<String> some = request10.generate();
                swept.put(tau, some);
                out.printf("  τ %.1f: %s%n", Double.parseDouble(tau),
                        String.join(" ", some.stream().map(n -> n.isEmpty() ? "∅" : n).toList()));
            });
        }
        Evaluation.QualityReport quality = null;
        if (!names.isEmpty() && run.validationSet().size() > 0) {
            quality = Evaluation.QualityReport.of(generation, names, run.sampleQuality(names));
            if (talk) {
                out.println();
                Evaluation.printQuality(out, quality);
            }
        }
        out.flush();
        if (json != null) {
            JsonOutput.write(json, RunReport.of(recipe.source(data), run, result, generation, names,
                    sampleSeconds, swept, curve, nelbo, quality), out);
            if (talk) {
                out.println("report written to " + json);
            }
        }
        if (plot != null) {
            String objective = model.denoiser().name() + ", objective " + run.recipe().objective().option();
            Plots plots = new Plots(plot);
            plots.training(result.losses(), curve, objective);
            plots.schedule(model.schedule());
            if (quality != null) {
                plots.lengths(quality.quality().lengthsSamples(), quality.quality().lengthsData(),
                        "lengths: " + names.size() + " generated names against the training names");
            }
            if (!names.isEmpty()) {
                plots.revealOrder(reveals, "reveal order, sampler " + generation.sampler() + " (" + names.size()
                        + " names)");
            }
            if (talk) {
                out.println("charts written to " + plot);
            }
        }
        return 0;
    }
}
