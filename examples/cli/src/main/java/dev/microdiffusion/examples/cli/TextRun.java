package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.Samples;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.corpus.TextCorpus;
import dev.microdiffusion.core.evaluation.KneserNeyModel;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code train --text} prints and reports: the text and the model, the validation NELBO in nats and bits per
 * character, passages generated from all-masked windows, and how they read under an n-gram model of the training
 * text against the held-out text.
 */
final class TextRun {

    /** Held-out windows the n-gram reference figure reads at most: enough for a stable figure, quick to score. */
    private static final int REFERENCE_WINDOWS = 200;

    private TextRun() {
    }

    /** The report of a run on a text, as JSON. */
    record Report(String text, long characters, int trainWindows, int validationWindows, int rowLength,
            int vocabSize, long seed, String denoiser, Map<String, String> denoiserOptions, long parameters,
            String schedule, TrainingConfig training, double wallSeconds, double stepsPerSecond,
            double tokensPerSecond, Nelbo validationNelbo, Double validationNatsPerChar, String sampler,
            double temperature, List<String> passages, double samplingSeconds, Double ngramSamplesNatsPerChar,
            Double ngramHeldOutNatsPerChar) {
    }

    static void header(PrintWriter out, TrainingRun run, TextCorpus text, Path resumedFrom) {
        DiffusionModel model = run.model();
        int length = model.tokenizer().maxLength();
        out.printf("text: %s — %,d characters; %,d training windows of %d (one at every offset of the first %.0f %%),"
                + " %,d held-out windows%n", text.source(), text.characters(), run.trainingSet().size(), length,
                100 * (1 - run.split().validationFraction()), run.validationSet().size());
        out.printf("vocabulary: %d ids (%s + PAD + MASK)%n", model.tokenizer().vocabSize(),
                shown(model, model.tokenizer().vocabulary()));
        out.printf("denoiser: %s %s, %,d parameters; schedule %s, T = %d; objective %s; %,d steps of %d windows; "
                + "seed %d%n", model.denoiser().name(), model.denoiser().config().options(),
                model.denoiser().parameterCount(), model.schedule().name(), run.recipe().diffusionSteps(),
                run.recipe().objective().option(), run.recipe().steps(), run.recipe().batchSize(), run.seed());
        if (run.resumed()) {
            out.printf("resuming %s at step %,d of %,d%n", resumedFrom, run.step(), run.recipe().steps());
        }
        out.println();
    }

    /** The text's symbols as one printable line (a newline as \n, a tab as \t). */
    private static String shown(DiffusionModel model, String vocabulary) {
        StringBuilder sb = new StringBuilder();
        vocabulary.codePoints().forEach(cp -> sb.append(model.tokenizer().symbol(
                model.tokenizer().encodeText(Character.toString(cp))[0])));
        return sb.toString();
    }

    static void trained(PrintWriter out, TrainingResult result, int tokensPerStep, Nelbo nelbo, Path saved) {
        out.printf("trained %,d steps in %.1f s (%.1f steps/s, %,.0f tokens/s); mean loss of the last 1000 steps "
                + "%.4f%n", result.stepsTaken(), result.wallSeconds(), result.stepsPerSecond(),
                result.stepsPerSecond() * tokensPerStep, result.meanLossOfLast(1000));
        if (nelbo != null) {
            out.printf("validation NELBO: %.4f ± %.4f nats/char, %.4f ± %.4f bits/char (%,d windows, %,d characters; "
                    + "%d Gauss–Legendre nodes × %d mask draw%s)%n", nats(nelbo.bitsPerChar()),
                    nats(nelbo.bitsPerCharError()), nelbo.bitsPerChar(), nelbo.bitsPerCharError(), nelbo.texts(),
                    nelbo.symbols(), nelbo.nodes(), nelbo.maskDraws(), nelbo.maskDraws() == 1 ? "" : "s");
        }
        if (saved != null) {
            out.println("model saved to " + saved);
        }
        out.println();
    }

    static double nats(double bits) {
        return bits * Math.log(2);
    }

    static void passages(PrintWriter out, Samples made, Generation generation, double seconds) {
        List<String> passages = made.texts();
        int length = generation.template().ids().length;
        double calls = made.modelEvaluationsPerText();
        out.printf("%d passage%s of %d characters at temperature %.2f, sampler %s (%.1f s; %.1f model calls a "
                + "passage, %.1f characters revealed a call):%n", passages.size(), passages.size() == 1 ? "" : "s",
                length, generation.options().temperature(), generation.sampler(), seconds, calls,
                calls == 0 ? 0 : length / calls);
        for (int i = 0; i < passages.size(); i++) {
            out.printf("--- %d ---%n%s%n", i + 1, passages.get(i));
        }
        out.println("---");
    }

    /**
     * Nats per character of the passages and of held-out windows under a 4-gram model of the training text: a second
     * opinion on the samples, in the same units as the held-out text's.
     */
    static double[] ngram(TrainingRun run, List<String> passages) {
        if (passages.isEmpty() || run.validationSet().size() == 0) {
            return null;
        }
        KneserNeyModel model = new KneserNeyModel(run.trainingSet().texts());
        EncodedCorpus held = run.validationSet();
        List<String> windows = new ArrayList<>();
        for (int r = 0; r < Math.min(REFERENCE_WINDOWS, held.size()); r++) {
            int offset = held.rowOffset(r);
            windows.add(run.model().tokenizer().decode(held.ids(), offset, held.length()));
        }
        return new double[] {model.natsPerCharacter(passages), model.natsPerCharacter(windows)};
    }

    static void printNgram(PrintWriter out, double[] ngram) {
        if (ngram != null) {
            out.printf("4-gram Kneser–Ney NLL of the training text: passages %.3f nats/char, held-out windows %.3f%n",
                    ngram[0], ngram[1]);
        }
    }

    static Report report(TextCorpus text, TrainingRun run, TrainingResult result, Nelbo nelbo,
            Generation generation, List<String> passages, double samplingSeconds, double[] ngram) {
        DiffusionModel model = run.model();
        int tokensPerStep = run.recipe().batchSize() * model.tokenizer().maxLength();
        return new Report(text.source(), text.characters(), run.trainingSet().size(), run.validationSet().size(),
                model.tokenizer().maxLength(), model.tokenizer().vocabSize(), run.seed(), model.denoiser().name(),
                model.denoiser().config().options(), model.denoiser().parameterCount(), model.schedule().name(),
                run.recipe(), result.wallSeconds(), result.stepsPerSecond(), result.stepsPerSecond() * tokensPerStep,
                nelbo, nelbo == null ? null : nats(nelbo.bitsPerChar()), generation.sampler(),
                generation.options().temperature(), passages, samplingSeconds, ngram == null ? null : ngram[0],
                ngram == null ? null : ngram[1]);
    }
}
