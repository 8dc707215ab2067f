package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.evaluation.KneserNeyModel;
import dev.microdiffusion.core.evaluation.LabelClassifier;
import dev.microdiffusion.core.evaluation.SampleQuality;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code eval --labels --guidance-sweep 0,1,2,4}: for each label and guidance γ, names generated for the label, the
 * share an n-gram classifier (one model per label, fitted on the training names) assigns that label, their 4-gram
 * nats per character and their novelty — the trade-off guidance makes.
 */
final class GuidanceSweep {

    /**
     * One label at one γ.
     *
     * @param natsPerChar    under the 4-gram model of all training names
     * @param ownNatsPerChar under the 4-gram model of the label's own training names
     */
    record Point(String label, double guidance, int names, double withLabel, double natsPerChar,
            double ownNatsPerChar, double novel, double meanLength) {
    }

    /** Refuses a sweep that cannot run: it needs labels and names to judge, and finite γ ≥ 0. */
    static void check(List<Double> guidance, boolean labels, int samples) {
        if (!guidance.isEmpty() && (!labels || samples < 1)) {
            throw new IllegalArgumentException("--guidance-sweep needs --labels and --samples ≥ 1");
        }
        for (double gamma : guidance) {
            if (!(gamma >= 0) || Double.isInfinite(gamma)) {
                throw new IllegalArgumentException("--guidance-sweep: every γ must be ≥ 0 and finite, got " + gamma);
            }
        }
    }

    /**
     * The sweep; per label, the classifier's recall on held-out real names of the label (its measure of trust) and
     * those names' own figures under both n-gram models (the reference point for the samples').
     */
    record Report(List<String> labels, double[] classifierRecall, double[] heldOutNatsPerChar,
            double[] heldOutOwnNatsPerChar, List<Point> points) {
    }

    private GuidanceSweep() {
    }

    static Report run(DiffusionModel model, EncodedCorpus.Split data, List<Double> guidance, int ngramOrder,
            Function<Generation.Builder, Generation.Builder> settings, int samples) {
        LabelClassifier classifier = LabelClassifier.fit(data.train(), model.labels(), KneserNeyModel.DEFAULT_ORDER);
        List<Point> points = new ArrayList<>();
        for (int id = 0; id < model.labels().size(); id++) {
            String label = model.labels().get(id);
            for (double gamma : guidance) {
                List<String> names = settings.apply(model.generation()).count(samples).label(label).guidance(gamma)
                        .generate();
                SampleQuality q = model.sampleQuality(names, data, ngramOrder);
                points.add(new Point(label, gamma, names.size(), classifier.fractionWithLabel(names, id),
                        q.samplesNatsPerChar(), classifier.natsPerCharacter(names, id), q.novelFraction(),
                        q.meanLength()));
            }
        }
        int labels = model.labels().size();
        double[] heldOut = new double[labels];
        double[] heldOutOwn = new double[labels];
        KneserNeyModel all = new KneserNeyModel(data.train().texts(), ngramOrder, KneserNeyModel.DEFAULT_DISCOUNT);
        for (int id = 0; id < labels; id++) {
            List<String> real = data.validation().withLabel(id).texts();
            heldOut[id] = real.isEmpty() ? Double.NaN : all.natsPerCharacter(real);
            heldOutOwn[id] = real.isEmpty() ? Double.NaN : classifier.natsPerCharacter(real, id);
        }
        return new Report(model.labels(), classifier.recall(data.validation()), heldOut, heldOutOwn, points);
    }

    static void print(PrintWriter out, Report report) {
        StringBuilder recall = new StringBuilder();
        for (int id = 0; id < report.labels().size(); id++) {
            recall.append(id == 0 ? "" : ", ").append(String.format("%s %.1f %%", report.labels().get(id),
                    100 * report.classifierRecall()[id]));
        }
        out.println("guidance sweep (the label classifier finds the label of held-out real names: " + recall + "):");
        out.println("  label      γ   carry the label   4-gram nats/char (all / label's own)   novel   mean length");
        for (int id = 0; id < report.labels().size(); id++) {
            out.printf("  %-8s real names           %12.3f / %.3f%n", report.labels().get(id),
                    report.heldOutNatsPerChar()[id], report.heldOutOwnNatsPerChar()[id]);
        }
        for (Point p : report.points()) {
            out.printf("  %-8s %4.1f   %13.1f %%   %18.3f / %.3f   %5.1f %%   %11.2f%n", p.label(), p.guidance(),
                    100 * p.withLabel(), p.natsPerChar(), p.ownNatsPerChar(), 100 * p.novel(), p.meanLength());
        }
    }
}
