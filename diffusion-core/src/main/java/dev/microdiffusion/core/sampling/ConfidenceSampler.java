package dev.microdiffusion.core.sampling;

import dev.microdiffusion.core.Canvas;
import dev.microdiffusion.core.Denoiser;
import dev.microdiffusion.core.NoiseSchedule;
import dev.microdiffusion.core.Sampler;
import dev.microdiffusion.core.SamplingOptions;
import dev.microdiffusion.core.StepObserver;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.math.Softmax;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The reference's sampler. For k = T down to 1: p = softmax(logits / τ) at each masked position, a token drawn from
 * p and its confidence max(p); with n masked positions in a row, the ⌊n·rate(t_{k−1})/rate(t_k)⌋ least confident
 * stay masked (all are revealed at k = 1) and the others take their drawn token.
 *
 * <p>Tokens are drawn only where a position is masked, so a row without one can change no more: the model is called
 * on the rows that still have a masked position only, and not at all once none has (with the reference's floor a row
 * of L is complete after L steps). A row's logits do not depend on the other rows in the call, so this changes no
 * result.
 */
public final class ConfidenceSampler implements Sampler {

    public static final String NAME = "confidence";

    private float[] logits = new float[0];
    private int[] active = new int[0];
    private int[] activeTokens = new int[0];
    private float[] times = new float[0];
    private final MatrixKernel kernel = MatrixKernels.preferred();
    private double[] probabilities = new double[0];
    private float[] exps = new float[0];
    private int[] positions = new int[0];
    private int[] drawn = new int[0];
    private double[] confidence = new double[0];

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void sample(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            UniformRandomProvider random, StepObserver observer) {
        int rows = canvas.rows();
        int length = canvas.length();
        int vocab = canvas.vocabSize();
        int mask = canvas.maskId();
        if (rows > pass.maxBatch()) {
            throw new IllegalArgumentException("canvas has " + rows + " rows, the pass only " + pass.maxBatch());
        }
        ensureBuffers(canvas);
        int[] tokens = canvas.tokens();
        int steps = options.steps();
        double temperature = options.temperature();

        for (int k = steps; k >= 1; k--) {
            int live = activeRows(tokens, rows, length, mask);
            if (live == 0) {
                break;
            }
            int[] input = tokens;
            if (live < rows) {
                for (int a = 0; a < live; a++) {
                    System.arraycopy(tokens, active[a] * length, activeTokens, a * length, length);
                }
                input = activeTokens;
            }
            Arrays.fill(times, 0, live, (float) ((double) k / steps));
            pass.forward(input, times, live, logits);
            double keepFraction = k > 1 ? schedule.rate(k - 1, steps) / schedule.rate(k, steps) : 0.0;

            for (int a = 0; a < live; a++) {
                int base = active[a] * length;
                int n = 0;
                for (int i = 0; i < length; i++) {
                    if (tokens[base + i] == mask) {
                        confidence[n] = Softmax.probabilities(kernel, logits, (a * length + i) * vocab, vocab,
                                temperature, exps, probabilities);
                        drawn[n] = Draw.categorical(probabilities, vocab, random);
                        positions[n] = base + i;
                        n++;
                    }
                }
                int keep = (int) Math.min(Math.floor(n * keepFraction), n);
                sortByConfidence(n);
                for (int j = keep; j < n; j++) {
                    tokens[positions[j]] = drawn[j];
                }
            }
            observer.afterStep(k, steps, canvas);
        }
    }

    /** Lists in {@link #active} the rows that still have a masked position; returns how many. */
    private int activeRows(int[] tokens, int rows, int length, int mask) {
        int live = 0;
        for (int r = 0; r < rows; r++) {
            for (int i = r * length, end = i + length; i < end; i++) {
                if (tokens[i] == mask) {
                    active[live++] = r;
                    break;
                }
            }
        }
        return live;
    }

    /** Insertion sort of the first n masked positions by ascending confidence (n ≤ L, a few dozen at most). */
    private void sortByConfidence(int n) {
        for (int i = 1; i < n; i++) {
            double c = confidence[i];
            int p = positions[i];
            int d = drawn[i];
            int j = i - 1;
            while (j >= 0 && confidence[j] > c) {
                confidence[j + 1] = confidence[j];
                positions[j + 1] = positions[j];
                drawn[j + 1] = drawn[j];
                j--;
            }
            confidence[j + 1] = c;
            positions[j + 1] = p;
            drawn[j + 1] = d;
        }
    }

    private void ensureBuffers(Canvas canvas) {
        int cells = canvas.capacity() * canvas.length();
        if (logits.length < cells * canvas.vocabSize()) {
            logits = new float[cells * canvas.vocabSize()];
        }
        if (times.length < canvas.capacity()) {
            times = new float[canvas.capacity()];
            active = new int[canvas.capacity()];
        }
        if (activeTokens.length < cells) {
            activeTokens = new int[cells];
        }
        if (probabilities.length < canvas.vocabSize()) {
            probabilities = new double[canvas.vocabSize()];
            exps = new float[canvas.vocabSize()];
        }
        if (positions.length < canvas.length()) {
            positions = new int[canvas.length()];
            drawn = new int[canvas.length()];
            confidence = new double[canvas.length()];
        }
    }
}
