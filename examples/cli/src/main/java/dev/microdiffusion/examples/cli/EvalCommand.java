package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Evaluation;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.evaluation.KneserNeyModel;
import dev.microdiffusion.core.evaluation.LabelNelbo;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.examples.DefaultCorpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
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
    List<Double> guidanceSweep = new ArrayList<>();

    @Option(names = "--validation", description = "held-out fraction (default: the one the model's run used)")
    Double validation;

    @Option(names = "--split-seed", description = "seed of the split (default: the model's training seed)")
    Long splitSeed;

    @Option(names = "--nodes", defaultValue = "" + Nelbo.DEFAULT_NODES, description = "Gauss–Legendre nodes over t (${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--mask-draws", defaultValue = "" + Nelbo.DEFAULT_MASK_DRAWS, description = "mask draws per name and node (${DEFAULT-VALUE})")
    int maskDraws;

    @Option(names = "--samples", defaultValue = "1000", description = "names to generate for the quality report (${DEFAULT-VALUE}; 0: none)")
    int samples;

    @Option(names = "--ngram-order", defaultValue = "" + KneserNeyModel.DEFAULT_ORDER, description = "order of the Kneser–Ney model (${DEFAULT-VALUE})")
    int ngramOrder;

    @Option(names = "--seed", defaultValue = "" + RandomStreams.DEFAULT_SEED, description = "seed of the masks and of sampling (${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "threads (default: the available processors); results do not depend on it")
    Integer threads;

    @Mixin
    ReportOptions report;

    /** The figures of one evaluation (JSON, snake_case; the names of counts as in the train report). */
    record EvalReport(String model, String corpus, double validationFraction, long splitSeed, int trainNames,
            int validationNames, Nelbo validationNelbo, Nelbo unconditionalNelbo,
            Map<String, LabelNelbo> labelNelbo, EvaluationPrinter.QualityReport quality, GuidanceSweep.Report guidanceSweep) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (samples < 0 || ngramOrder < 1 || nodes < 1 || maskDraws < 1) {
            throw new IllegalArgumentException("--samples must be ≥ 0, --ngram-order, --nodes and --mask-draws ≥ 1");
        }
        report.check();
        // with the JSON on standard output the table goes nowhere
        PrintWriter out = report.jsonToStdout() ? new PrintWriter(Writer.nullWriter()) : stdout;
        DiffusionModel diffusion = model.load();
        DataSplit saved = diffusion.split().orElse(new DataSplit(0, 1, null));
        DataSplit split = new DataSplit(validation != null ? validation : saved.validationFraction(),
                splitSeed != null ? splitSeed : saved.seed(), saved.corpusFingerprint());
        Evaluation evaluation = diffusion.evaluation().nodes(nodes).maskDraws(maskDraws).seed(seed);
        Generation.Builder request = sampling.apply(diffusion.generation()).count(samples).seed(seed);
        if (threads != null) {
            evaluation.threads(threads);
            request.threads(threads);
        }
        Generation generation = report.observe(request, diffusion.tokenizer().maxLength());
        GuidanceSweep.check(guidanceSweep, labels, samples);
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
        EvaluationPrinter.printSetting(out, model.model, diffusion, source, parts, split);
        Nelbo nelbo = evaluation.nelbo(heldOut);
        String which = heldOut == parts.train() ? "training-data" : "validation";
        EvaluationPrinter.printNelbo(out, which + (labels ? " conditional" : ""), nelbo);
        Nelbo unconditional = null;
        Map<String, LabelNelbo> perLabel = null;
        if (labels) {
            perLabel = evaluation.byLabel(heldOut);
            unconditional = evaluation.unconditional().nelbo(heldOut);
            EvaluationPrinter.printNelbo(out, which + " unconditional", unconditional);
            EvaluationPrinter.printLabels(out, perLabel);
        }

        EvaluationPrinter.QualityReport quality = null;
        if (samples > 0) {
            List<String> names = generation.generate();
            quality = EvaluationPrinter.QualityReport.of(generation, names, diffusion.sampleQuality(names,
                    new EncodedCorpus.Split(parts.train(), heldOut), ngramOrder));
            EvaluationPrinter.printQuality(out, quality);
        }
        GuidanceSweep.Report sweep = null;
        if (!guidanceSweep.isEmpty()) {
            sweep = GuidanceSweep.run(diffusion, new EncodedCorpus.Split(parts.train(), heldOut), guidanceSweep,
                    ngramOrder, g -> threads == null ? sampling.apply(g).seed(seed)
                            : sampling.apply(g).seed(seed).threads(threads), samples);
            GuidanceSweep.print(out, sweep);
        }
        report.write(stdout, out, new EvalReport(model.model.toString(), source, split.validationFraction(),
                split.seed(), parts.train().size(), parts.validation().size(), nelbo, unconditional, perLabel, quality,
                sweep), (dir, r) -> Plots.evaluation(dir, diffusion, r.quality(), samples, report.reveals,
                        r.guidanceSweep()));
        out.flush();
        return 0;
    }
}
