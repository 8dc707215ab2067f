package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.evaluation.LabelNelbo;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.evaluation.SampleQuality;
import dev.microdiffusion.core.sampling.SamplingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What train and eval print and report about a model: its validation NELBO and the quality of its samples. */
final class EvaluationPrinter {

    private EvaluationPrinter() {
    }

    /** The sampler, its settings and the options a quality report was made with, and a few of the names. */
    record QualityReport(String sampler, Map<String, String> samplerSettings, SamplingOptions options,
            SampleQuality quality, List<String> examples) {

        static QualityReport of(Generation generation, List<String> samples, SampleQuality quality) {
            return new QualityReport(generation.sampler(), generation.samplerSettings(), generation.options(),
                    quality, samples.subList(0, Math.min(20, samples.size())));
        }
    }

    static void printNelbo(PrintWriter out, String label, Nelbo r) {
        out.printf("%s NELBO: %.4f ± %.4f bits/char (%.3f ± %.3f nats per name; %,d names, %,d symbols = characters "
                + "+ 1 end per name; %d Gauss–Legendre nodes × %d mask draw%s)%n", label, r.bitsPerChar(),
                r.bitsPerCharError(), r.natsPerText(), r.natsPerTextError(), r.texts(), r.symbols(), r.nodes(),
                r.maskDraws(), r.maskDraws() == 1 ? "" : "s");
    }

    /** One line per label: its held-out names with their label and without. */
    static void printLabels(PrintWriter out, Map<String, LabelNelbo> byLabel) {
        byLabel.forEach((label, figures) -> out.printf(
                "  %s (%,d names): %.4f ± %.4f bits/char with the label, %.4f ± %.4f without%n", label,
                figures.texts(), figures.conditional().bitsPerChar(), figures.conditional().bitsPerCharError(),
                figures.unconditional().bitsPerChar(), figures.unconditional().bitsPerCharError()));
    }

    static void printQuality(PrintWriter out, QualityReport report) {
        SampleQuality q = report.quality();
        out.printf("%,d names from sampler %s (τ %.2f, %d steps):%n", q.samples(), report.sampler(),
                report.options().temperature(), report.options().steps());
        out.printf("  empty %5.1f %%   unique %5.1f %%   novel %5.1f %%   mean length %.2f (data %.2f)%n",
                100 * q.emptyFraction(), 100 * q.uniqueFraction(), 100 * q.novelFraction(), q.meanLength(),
                q.dataMeanLength());
        out.printf("  %d-gram Kneser–Ney NLL: samples %.3f nats/char, held-out real names %.3f%n", q.ngramOrder(),
                q.samplesNatsPerChar(), q.heldOutNatsPerChar());
        StringBuilder lengths = new StringBuilder("  length  generated / data:");
        for (int l = 0; l < q.lengthsSamples().length; l++) {
            if (q.lengthsSamples()[l] > 0 || q.lengthsData()[l] > 0) {
                lengths.append(String.format(" %d:%.0f/%.0f%%", l, 100 * q.lengthsSamples()[l], 100 * q.lengthsData()[l]));
            }
        }
        out.println(lengths);
        out.println("  e.g. " + String.join(" ", report.examples().stream().map(n -> n.isEmpty() ? "∅" : n).toList()));
    }

    /** The model evaluated and how its data were split. */
    static void printSetting(PrintWriter out, Path file, DiffusionModel model, String source, EncodedCorpus.Split parts,
            DataSplit split) {
        out.printf("model %s: %s, %,d parameters, schedule %s, T = %d%n", file, model.denoiser().name(),
                model.denoiser().parameterCount(), model.schedule().name(), model.diffusionSteps());
        out.printf("data %s: %,d training names, %,d held out (fraction %.2f, split seed %d)%n", source,
                parts.train().size(), parts.validation().size(), split.validationFraction(), split.seed());
    }
}
