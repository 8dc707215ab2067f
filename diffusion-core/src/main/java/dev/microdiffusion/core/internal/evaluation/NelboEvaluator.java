package dev.microdiffusion.core.internal.evaluation;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.internal.Parallel;
import dev.microdiffusion.core.internal.RowStream;
import dev.microdiffusion.core.internal.math.GaussLegendre;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.nn.Softmax;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.ForwardProcess;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.util.SplitMix;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The negative ELBO of texts under a model, MDLM's continuous-time bound for the absorbing process:
 *
 * <pre>
 *   NELBO(x) = ∫₀¹ rate′(t)/rate(t) · E_{x_t ~ q(·|x)} [ Σ_{i masked in x_t} −log p_θ(x_i | x_t, t) ] dt
 *            + E_{x_0 ~ q(·|x)} [ Σ_{i masked in x_0} −log p_θ(x_i | x_0, 0) ]      (only when rate(0) &gt; 0)
 * </pre>
 *
 * with p_θ the model's softmax with MASK left out (SUBS; visible positions copy their token and cost nothing). The
 * integral is Gauss–Legendre quadrature over t, the expectation Monte Carlo over masks; the prior term is taken as
 * zero (exact when rate(1) = 1, every schedule here but {@code loglinear}, whose ε leaves it negligible, as in MDLM).
 *
 * <p>A text's row is its characters then PAD to the row length, so the bound covers where the text ends; figures per
 * character count the end as one symbol (characters + 1 per text), to compare with autoregressive character models.
 * <p>Each text's masks at node j, draw s come from a stream keyed by the seed, j, s and the text's own ids (not its
 * place in the data, nor its label), so a text's estimate depends on the model, the seed and the text alone: the same
 * in any corpus, batch, order or thread count, and the same masks under every label (so that labels compare on
 * common draws). {@link #natsPerText} gives those estimates; {@link #evaluate}'s mean is theirs.
 */
public final class NelboEvaluator {

    private static final int CHUNK = 64;
    /** The purpose of the masks' random streams (see {@link RandomStreams}). */
    private static final String STREAM = "nelbo";

    private final int nodes;
    private final int maskDraws;
    private final int threads;
    private final boolean conditional;
    private final MatrixKernel kernel = MatrixKernels.preferred();

    /**
     * @param nodes   Gauss–Legendre nodes over t
     * @param maskDraws mask draws per text and node
     * @param threads chunks of rows evaluated at once
     */
    public NelboEvaluator(int nodes, int maskDraws, int threads) {
        this(nodes, maskDraws, threads, true);
    }

    /**
     * @param conditional on labelled data and a conditional model, give the model each text's label; otherwise (and
     *                    always on unlabelled data) the null label, the unconditional bound
     */
    public NelboEvaluator(int nodes, int maskDraws, int threads, boolean conditional) {
        if (nodes > GaussLegendre.MAX_NODES) {
            throw new IllegalArgumentException("at most " + GaussLegendre.MAX_NODES + " quadrature nodes, got " + nodes);
        }
        if (nodes < 1 || maskDraws < 1 || threads < 1) {
            throw new IllegalArgumentException("nodes, mask draws and threads must be ≥ 1, got " + nodes + ", " + maskDraws
                    + ", " + threads);
        }
        this.nodes = nodes;
        this.maskDraws = maskDraws;
        this.threads = threads;
        this.conditional = conditional;
    }

    /**
     * The NELBO of a data set under a model of these parts.
     *
     * @throws IllegalArgumentException if there are no texts, or their rows are not the tokenizer's length
     */
    public Nelbo evaluate(Tokenizer tokenizer, Denoiser denoiser, NoiseSchedule schedule, EncodedCorpus data,
            long seed) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("no texts to evaluate");
        }
        double[][] terms = terms(tokenizer, denoiser, schedule, data, seed);
        double[] perText = terms[0];
        double[] recon = terms[1];
        double mean = 0;
        double reconMean = 0;
        for (int n = 0; n < perText.length; n++) {
            mean += perText[n];
            reconMean += recon[n];
        }
        mean /= perText.length;
        reconMean /= perText.length;
        double error = TextStatistics.standardError(perText, mean);
        long symbols = data.symbolsWithEnds();
        double perSymbol = TextStatistics.bitsPerSymbol(perText.length, symbols);
        return new Nelbo(perText.length, symbols, nodes, maskDraws, mean, error, mean * perSymbol, error * perSymbol,
                reconMean);
    }

    /**
     * Each text's NELBO estimate in nats, in data order; their mean is {@link #evaluate}'s {@code natsPerText}. Text
     * n is scored under {@code data.labels()[n]} when the data are labelled and the evaluator conditional.
     */
    public double[] natsPerText(Tokenizer tokenizer, Denoiser denoiser, NoiseSchedule schedule, EncodedCorpus data,
            long seed) {
        return data.size() == 0 ? new double[0] : terms(tokenizer, denoiser, schedule, data, seed)[0];
    }

    /** Per text: the whole estimate and its t = 0 term. */
    private double[][] terms(Tokenizer tokenizer, Denoiser denoiser, NoiseSchedule schedule, EncodedCorpus data,
            long seed) {
        if (data.isWindows() && data.stride() != data.length()) {
            throw new IllegalArgumentException("overlapping windows (stride " + data.stride() + ") are for training: "
                    + "evaluate consecutive ones, such as a run's held-out text");
        }
        if (data.length() != tokenizer.maxLength()) {
            throw new IllegalArgumentException("rows of " + data.length() + " ids, the model's are "
                    + tokenizer.maxLength());
        }
        double[][] rule = GaussLegendre.rule(nodes, 0.0, 1.0);
        boolean reconstruction = schedule.rate(0.0) > 0;
        int terms = nodes + (reconstruction ? 1 : 0);
        double[] times = new double[terms];
        double[] factors = new double[terms];
        for (int j = 0; j < nodes; j++) {
            times[j] = rule[0][j];
            factors[j] = rule[1][j] * schedule.rateDerivative(times[j]) / schedule.rate(times[j]);
        }
        if (reconstruction) {
            times[nodes] = 0.0;
            factors[nodes] = 1.0;
        }
        double[] perText = new double[data.size()];
        double[] recon = new double[data.size()];
        int chunks = (data.size() + CHUNK - 1) / CHUNK;
        long base = new RandomStreams(seed).stream(STREAM).nextLong();
        AtomicInteger next = new AtomicInteger();
        Parallel.run(Math.min(threads, chunks), () -> {
            Worker worker = new Worker(tokenizer, denoiser, schedule, data);
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                int from = c * CHUNK;
                int to = Math.min(data.size(), (c + 1) * CHUNK);
                worker.keyRows(from, to, base);
                for (int j = 0; j < terms; j++) {
                    for (int s = 0; s < maskDraws; s++) {
                        worker.run(from, to, times[j], factors[j] / maskDraws, j * maskDraws + s, perText,
                                j == nodes ? recon : null);
                    }
                }
            }
        });
        return new double[][] {perText, recon};
    }

    /** One thread's buffers. */
    private final class Worker {
        private final int length;
        private final int vocab;
        private final int mask;
        private final Denoiser.Pass pass;
        private final ForwardProcess forward;
        private final int[] clean;
        private final int[] noisy;
        private final float[] time;
        private final float[] logits;
        private final float[] scratch;
        private final int[] ids;
        private final int[] textLabels;
        private final int[] labels;
        private final long[] rowKeys = new long[CHUNK];
        private final RowStream random = new RowStream(0);

        Worker(Tokenizer tokenizer, Denoiser denoiser, NoiseSchedule schedule, EncodedCorpus data) {
            this.length = data.length();
            this.vocab = tokenizer.vocabSize();
            this.mask = tokenizer.maskId();
            this.pass = denoiser.newPass(CHUNK);
            this.forward = new ForwardProcess(schedule, mask);
            this.clean = new int[CHUNK * length];
            this.noisy = new int[CHUNK * length];
            this.time = new float[CHUNK];
            this.logits = new float[CHUNK * length * vocab];
            this.scratch = new float[CHUNK * length * vocab];
            this.ids = data.ids();
            boolean labelled = conditional && data.isLabelled() && denoiser.labels() > 0;
            this.textLabels = labelled ? data.labels() : null;
            this.labels = labelled ? new int[CHUNK] : null;
        }

        /** Keys the mask streams of rows [from, to) by the seed's base and each row's ids. */
        void keyRows(int from, int to, long base) {
            for (int n = from; n < to; n++) {
                long h = base;
                for (int i = n * length; i < (n + 1) * length; i++) {
                    h = SplitMix.mix(h + ids[i]);
                }
                rowKeys[n - from] = h;
            }
        }

        /**
         * Adds factor × Σ_{masked} −log p(x_i | x_t) of rows [from, to) at time t to their estimates, each row masked
         * from its own stream for the given draw (node and sample).
         */
        void run(int from, int to, double t, double factor, int draw, double[] perText, double[] also) {
            int rows = to - from;
            int cells = rows * length;
            System.arraycopy(ids, from * length, clean, 0, cells);
            double rate = forward.schedule().rate(t);
            int masked = 0;
            for (int r = 0; r < rows; r++) {
                random.reseed(rowKeys[r] + (draw + 1L) * SplitMix.GOLDEN);
                masked += forward.maskWithRate(clean, noisy, r * length, length, rate, random);
            }
            if (masked == 0) {
                return;
            }
            Arrays.fill(time, 0, rows, (float) t);
            if (labels == null) {
                pass.forward(noisy, time, rows, logits);
            } else {
                System.arraycopy(textLabels, from, labels, 0, rows);
                pass.forward(noisy, time, labels, rows, logits);
            }
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int c = r * length; c < (r + 1) * length; c++) {
                    if (noisy[c] == mask) {
                        sum += Softmax.crossEntropyExcluding(kernel, logits, c * vocab, vocab, clean[c], mask, 0f,
                                scratch);
                    }
                }
                perText[from + r] += factor * sum;
                if (also != null) {
                    also[from + r] += factor * sum;
                }
            }
        }
    }
}
