package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.EncodedCorpus;
import dev.microdiffusion.core.Parallel;
import dev.microdiffusion.core.RandomStreams;
import dev.microdiffusion.core.SamplerProvider;
import dev.microdiffusion.core.SamplingOptions;
import dev.microdiffusion.core.Template;
import dev.microdiffusion.core.checkpoint.Checkpoint;
import dev.microdiffusion.core.evaluation.KneserNeyModel;
import dev.microdiffusion.core.evaluation.NelboEvaluator;
import dev.microdiffusion.core.training.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Evaluates a saved model on the names it did not train on: the negative ELBO in bits per character and, with
 * {@code --samples}, the quality of names it generates.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Validation NELBO (bits/char) of a saved model and the quality of its samples.")
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    SamplingCli sampling;

    @Option(names = "--data", paramLabel = "FILE", description = "the corpus the model was trained on (default: datafaker's names)")
    Path data;

    @Option(names = "--validation", description = "held-out fraction (default: the one the model's run used)")
    Double validation;

    @Option(names = "--split-seed", description = "seed of the split (default: the model's training seed)")
    Long splitSeed;

    @Option(names = "--nodes", defaultValue = "16", description = "Gauss–Legendre nodes over t (${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--mask-draws", defaultValue = "1", description = "mask draws per name and node (${DEFAULT-VALUE})")
    int maskDraws;

    @Option(names = "--samples", defaultValue = "1000", description = "names to generate for the quality report (${DEFAULT-VALUE}; 0: none)")
    int samples;

    @Option(names = "--ngram-order", defaultValue = "4", description = "order of the Kneser–Ney model (${DEFAULT-VALUE})")
    int ngramOrder;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the masks and of sampling (${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "threads (default: the available processors); results do not depend on it")
    Integer threads;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
    Path json;

    @Option(names = "--plot", paramLabel = "DIR", description = "write PNG charts (lengths, reveal order, schedule, training loss if saved)")
    Path plot;

    /** The figures of one evaluation (JSON, snake_case). */
    record EvalReport(String model, String corpus, double validationFraction, long splitSeed, int trainNames,
            NelboEvaluator.Result validationNelbo, Evaluation.QualityReport quality) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        int workers = threads != null ? threads : Parallel.defaultThreads();
        if (workers < 1 || samples < 0 || nodes < 1 || maskDraws < 1) {
            throw new IllegalArgumentException("--threads, --nodes and --mask-draws must be ≥ 1, --samples ≥ 0");
        }
        if (plot != null) {
            Plots.checkTarget(plot);
        }
        Checkpoint.Loaded loaded = model.load();
        DiffusionModel diffusion = loaded.model();
        double fraction = validation != null ? validation : TrainCommand.savedValidation(loaded);
        long split = splitSeed != null ? splitSeed : savedSeed(loaded);
        List<String> lines = data == null ? DefaultCorpus.names() : TrainCommand.readLines(data);
        String source = data == null ? DefaultCorpus.source() : data.toString();
        EncodedCorpus all = diffusion.tokenizer().encodeCorpus(lines);
        String trainedOn = loaded.metadata().get(Checkpoint.RUN_PREFIX + TrainCommand.DATA_KEY);
        if (trainedOn != null && !trainedOn.equals(Long.toString(Trainer.fingerprint(all)))) {
            out.println("note: these are not the names the model was trained on, so the held-out part is not the "
                    + "run's; give the run's --data for a validation figure");
        }
        EncodedCorpus.Split parts = all.split(fraction, split);
        EncodedCorpus heldOut = parts.validation();
        if (heldOut.size() == 0) {
            out.println("the model's run held no names out (--validation 0): evaluating on all names, which it has seen");
            heldOut = parts.train();
        }
        out.printf("model %s: %s, %,d parameters, schedule %s, T = %d%n", model.model, diffusion.denoiser().name(),
                diffusion.denoiser().parameterCount(), diffusion.schedule().name(), diffusion.diffusionSteps());
        out.printf("data %s: %,d training names, %,d held out (fraction %.2f, split seed %d)%n", source,
                parts.train().size(), parts.validation().size(), fraction, split);
        NelboEvaluator.Result nelbo = Evaluation.nelbo(diffusion, heldOut, nodes, maskDraws, workers, seed);
        Evaluation.printNelbo(out, heldOut == parts.train() ? "training-data" : "validation", nelbo);

        Evaluation.QualityReport quality = null;
        RevealTracker reveals = null;
        if (samples > 0) {
            SamplerProvider samplers = sampling.provider();
            SamplingOptions options = sampling.options(diffusion.diffusionSteps());
            reveals = new RevealTracker(options.steps(), diffusion.tokenizer().maxLength());
            List<String> names = diffusion.generate(samples, 64, workers, samplers::create, options,
                    Template.free(diffusion.tokenizer()), new RandomStreams(seed).stream("sample"), reveals);
            quality = Evaluation.quality(samplers.name(), options, names, parts.train(), heldOut, ngramOrder,
                    diffusion.tokenizer().maxLength());
            Evaluation.printQuality(out, quality);
        }
        if (json != null) {
            TrainCommand.writeReport(json, new EvalReport(model.model.toString(), source, fraction, split,
                    parts.train().size(), nelbo, quality));
            out.println("report written to " + json);
        }
        if (plot != null) {
            Plots plots = new Plots(plot);
            plots.schedule(diffusion.schedule());
            if (quality != null) {
                plots.lengths(quality.quality().lengthsSamples(), quality.quality().lengthsData(),
                        "lengths: " + samples + " generated names against the training names");
                plots.revealOrder(reveals, "reveal order, sampler " + quality.sampler() + " (" + samples + " names)");
            }
            if (loaded.training() != null) {
                plots.training(loaded.training().losses(), List.of(), diffusion.denoiser().name() + ", objective "
                        + loaded.training().config().objective().option());
            }
            out.println("charts written to " + plot);
        }
        out.flush();
        return 0;
    }

    private static long savedSeed(Checkpoint.Loaded loaded) {
        String value = loaded.metadata().getOrDefault(Checkpoint.RUN_PREFIX + TrainCommand.SEED_KEY,
                loaded.metadata().get("training.seed"));
        try {
            return value == null ? 1 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the saved seed '" + value + "' is not a number; give --split-seed");
        }
    }
}
