package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DataSplit;
import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.spi.EncodedCorpus;
import dev.microdiffusion.examples.DefaultCorpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @Option(names = "--labels", description = "the corpus is labelled (name<TAB>label; default: datafaker's names as "
            + "male and female): report the conditional and unconditional NELBO, per label too")
    boolean labels;

    @Option(names = "--guidance-sweep", paramLabel = "γ,…", split = ",",
            description = "with --labels: for each label and each γ, --samples names; the share an n-gram classifier "
                    + "gives the label, their 4-gram NLL and novelty (e.g. 0,1,2,4)")
    List<Double> guidanceSweep = new java.util.ArrayList<>();

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

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON ('-': standard output, and nothing else there)")
    Path json;

    @Option(names = "--plot", paramLabel = "DIR", description = "write PNG charts (lengths, reveal order, schedule, training loss if saved)")
    Path plot;

    /** The figures of one evaluation (JSON, snake_case; the names of counts as in the train report). */
    record EvalReport(String model, String corpus, double validationFraction, long splitSeed, int trainNames,
            int validationNames, Nelbo validationNelbo, Nelbo unconditionalNelbo,
            Map<String, LabelNelbo> labelNelbo, Evaluation.QualityReport quality, GuidanceSweep.Report guidanceSweep) {
    }

    /** One label's held-out texts, with their label and without. */
    record LabelNelbo(int names, Nelbo conditional, Nelbo unconditional) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (samples < 0 || ngramOrder < 1 || nodes < 1 || maskDraws < 1) {
            throw new IllegalArgumentException("--samples must be ≥ 0, --ngram-order, --nodes and --mask-draws ≥ 1");
        }
        if (plot != null) {
            Plots.checkTarget(plot);
        }
        JsonOutput.check(json, "--json");
        // with the JSON on standard output the table goes nowhere
        PrintWriter out = JsonOutput.toStdout(json) ? new PrintWriter(java.io.Writer.nullWriter()) : stdout;
        DiffusionModel diffusion = model.load();
        DataSplit saved = diffusion.split().orElse(new DataSplit(0, 1, null));
        DataSplit split = new DataSplit(validation != null ? validation : saved.validationFraction(),
                splitSeed != null ? splitSeed : saved.seed(), saved.corpusFingerprint());
        DiffusionModel.Evaluation evaluation = diffusion.evaluation().nodes(nodes).maskDraws(maskDraws).seed(seed);
        Generation.Builder request = sampling.apply(diffusion.generation()).count(samples).seed(seed);
        if (threads != null) {
            evaluation.threads(threads);
            request.threads(threads);
        }
        Generation generation = request.build();
        // steps × positions counters: only for the chart
        RevealTracker reveals = plot == null ? null
                : new RevealTracker(generation.options().steps(), diffusion.tokenizer().maxLength());
        if (reveals != null) {
            generation = request.observer(reveals).build();
        }
        if (!guidanceSweep.isEmpty() && (!labels || samples < 1)) {
            throw new IllegalArgumentException("--guidance-sweep needs --labels and --samples ≥ 1");
        }
        for (double gamma : guidanceSweep) {
            if (!(gamma >= 0) || Double.isInfinite(gamma)) {
                throw new IllegalArgumentException("--guidance-sweep: every γ must be ≥ 0 and finite, got " + gamma);
            }
        }
        if (labels && diffusion.labels().isEmpty()) {
            throw new IllegalArgumentException("--labels: the model is not conditioned on labels");
        }
        String source = labels && data == null ? DefaultCorpus.labelledSource() : DefaultCorpus.source(data);
        EncodedCorpus all = !labels ? diffusion.encode(DefaultCorpus.lines(data))
                : diffusion.encode(data == null ? DefaultCorpus.labelledNames() : RunOptions.labelled(data));
        if (!split.matches(all)) {
            out.println("note: these are not the names the model was trained on, so the held-out part is not the "
                    + "run's; give the run's --data for a validation figure");
        }
        EncodedCorpus.Split parts = split.apply(all);
        EncodedCorpus heldOut = parts.validation();
        if (heldOut.size() == 0) {
            out.println("the model's run held no names out (--validation 0): evaluating on all names, which it has seen");
            heldOut = parts.train();
        }
        out.printf("model %s: %s, %,d parameters, schedule %s, T = %d%n", model.model, diffusion.denoiser().name(),
                diffusion.denoiser().parameterCount(), diffusion.schedule().name(), diffusion.diffusionSteps());
        out.printf("data %s: %,d training names, %,d held out (fraction %.2f, split seed %d)%n", source,
                parts.train().size(), parts.validation().size(), split.validationFraction(), split.seed());
        Nelbo nelbo = evaluation.nelbo(heldOut);
        String which = heldOut == parts.train() ? "training-data" : "validation";
        Evaluation.printNelbo(out, which + (labels ? " conditional" : ""), nelbo);
        Nelbo unconditional = null;
        Map<String, LabelNelbo> perLabel = new java.util.LinkedHashMap<>();
        if (labels) {
            unconditional = evaluation.unconditional().nelbo(heldOut);
            Evaluation.printNelbo(out, which + " unconditional", unconditional);
            DiffusionModel.Evaluation conditional = diffusion.evaluation().nodes(nodes).maskDraws(maskDraws).seed(seed);
            if (threads != null) {
                conditional.threads(threads);
            }
            for (int id = 0; id < diffusion.labels().size(); id++) {
                EncodedCorpus part = heldOut.withLabel(id);
                if (part.size() == 0) {
                    continue;
                }
                LabelNelbo figures = new LabelNelbo(part.size(), conditional.nelbo(part), evaluation.nelbo(part));
                perLabel.put(diffusion.labels().get(id), figures);
                out.printf("  %s (%,d names): %.4f ± %.4f bits/char with the label, %.4f ± %.4f without%n",
                        diffusion.labels().get(id), part.size(), figures.conditional().bitsPerChar(),
                        figures.conditional().bitsPerCharError(), figures.unconditional().bitsPerChar(),
                        figures.unconditional().bitsPerCharError());
            }
        }

        Evaluation.QualityReport quality = null;
        if (samples > 0) {
            List<String> names = generation.generate();
            quality = Evaluation.QualityReport.of(generation, names, diffusion.sampleQuality(names,
                    new EncodedCorpus.Split(parts.train(), heldOut), ngramOrder));
            Evaluation.printQuality(out, quality);
        }
        GuidanceSweep.Report sweep = null;
        if (!guidanceSweep.isEmpty()) {
            sweep = GuidanceSweep.run(diffusion, new EncodedCorpus.Split(parts.train(), heldOut), guidanceSweep,
                    ngramOrder, g -> threads == null ? sampling.apply(g).seed(seed)
                            : sampling.apply(g).seed(seed).threads(threads), samples);
            GuidanceSweep.print(out, sweep);
        }
        if (json != null) {
            JsonOutput.write(json, new EvalReport(model.model.toString(), source, split.validationFraction(),
                    split.seed(), parts.train().size(), parts.validation().size(), nelbo, unconditional,
                    perLabel.isEmpty() ? null : perLabel, quality, sweep), stdout);
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
            diffusion.history().ifPresent(h -> plotTraining(plots, h, diffusion.denoiser().name()));
            if (sweep != null) {
                plots.guidance(sweep);
            }
            out.println("charts written to " + plot);
        }
        out.flush();
        return 0;
    }

    private static void plotTraining(Plots plots, DiffusionModel.History history, String denoiser) {
        try {
            plots.training(history.losses(), List.of(), denoiser + ", objective " + history.recipe().objective().option());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the training chart: " + e.getMessage(), e);
        }
    }
}
