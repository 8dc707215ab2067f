package dev.microdiffusion.core.internal.evaluation;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.evaluation.DecodingOrder;
import dev.microdiffusion.core.evaluation.OrderedLikelihood;
import dev.microdiffusion.core.internal.Parallel;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.nn.Softmax;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exact likelihoods of texts under a denoiser's conditionals taken in a fixed order (see {@link OrderedLikelihood}):
 * L model calls per chunk of rows, at step i the row has L − i masked positions and the time t with rate(t) =
 * (L − i)/L. Deterministic, and independent of the thread count.
 */
public final class OrderedLikelihoodEvaluator {

    private static final int CHUNK = 64;

    private final int threads;
    private final boolean conditional;
    private final MatrixKernel kernel = MatrixKernels.preferred();

    /**
     * @param threads     chunks of rows evaluated at once
     * @param conditional on labelled data and a conditional model, give the model each text's label; otherwise the
     *                    null label
     */
    public OrderedLikelihoodEvaluator(int threads, boolean conditional) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        this.threads = threads;
        this.conditional = conditional;
    }

    /**
     * The exact NLL of every text of {@code data} in {@code order}.
     *
     * @throws IllegalArgumentException if there are no texts, or their rows are not the tokenizer's length
     */
    public OrderedLikelihood evaluate(Tokenizer tokenizer, Denoiser denoiser, NoiseSchedule schedule,
            EncodedCorpus data, DecodingOrder order) {
        if (data.isWindows() && data.stride() != data.length()) {
            throw new IllegalArgumentException("overlapping windows (stride " + data.stride() + ") are for training: "
                    + "evaluate consecutive ones, such as a run's held-out text");
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("no texts to evaluate");
        }
        double[] perText = natsPerText(tokenizer, denoiser, schedule, data, order);
        double mean = 0;
        for (double nats : perText) {
            mean += nats;
        }
        mean /= perText.length;
        double error = TextStatistics.standardError(perText, mean);
        long symbols = data.symbolsWithEnds();
        double perSymbol = TextStatistics.bitsPerSymbol(perText.length, symbols);
        return new OrderedLikelihood(order, perText.length, symbols, mean, error, mean * perSymbol,
                error * perSymbol);
    }

    /** Each text's exact NLL in nats, in data order. */
    public double[] natsPerText(Tokenizer tokenizer, Denoiser denoiser, NoiseSchedule schedule, EncodedCorpus data,
            DecodingOrder order) {
        int length = tokenizer.maxLength();
        if (data.length() != length) {
            throw new IllegalArgumentException("rows of " + data.length() + " ids, the model's are " + length);
        }
        int[] positions = order.positions(length);
        float[] times = new float[length];
        for (int i = 0; i < length; i++) {
            times[i] = (float) schedule.timeOfRate((double) (length - i) / length);
        }
        double[] perText = new double[data.size()];
        int chunks = (data.size() + CHUNK - 1) / CHUNK;
        AtomicInteger next = new AtomicInteger();
        Parallel.run(Math.min(threads, chunks), () -> {
            int vocab = tokenizer.vocabSize();
            int mask = tokenizer.maskId();
            Denoiser.Pass pass = denoiser.newPass(CHUNK);
            int[] canvas = new int[CHUNK * length];
            float[] time = new float[CHUNK];
            float[] logits = new float[CHUNK * length * vocab];
            float[] scratch = new float[CHUNK * length * vocab];
            int[] ids = data.ids();
            boolean labelled = conditional && data.isLabelled() && denoiser.labels() > 0;
            int[] labels = labelled ? new int[CHUNK] : null;
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                int from = c * CHUNK;
                int rows = Math.min(data.size(), from + CHUNK) - from;
                Arrays.fill(canvas, 0, rows * length, mask);
                if (labelled) {
                    System.arraycopy(data.labels(), from, labels, 0, rows);
                }
                for (int i = 0; i < length; i++) {
                    Arrays.fill(time, 0, rows, times[i]);
                    if (labelled) {
                        pass.forward(canvas, time, labels, rows, logits);
                    } else {
                        pass.forward(canvas, time, rows, logits);
                    }
                    int p = positions[i];
                    for (int r = 0; r < rows; r++) {
                        int cell = r * length + p;
                        int target = ids[(from + r) * length + p];
                        perText[from + r] += Softmax.crossEntropyExcluding(kernel, logits, cell * vocab, vocab, target,
                                mask, 0f, scratch);
                        canvas[cell] = target;
                    }
                }
            }
        });
        return perText;
    }
}
