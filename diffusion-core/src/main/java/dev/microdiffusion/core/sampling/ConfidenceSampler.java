package dev.microdiffusion.core.sampling;

import dev.microdiffusion.core.Canvas;
import dev.microdiffusion.core.Denoiser;
import dev.microdiffusion.core.NoiseSchedule;
import dev.microdiffusion.core.Sampler;
import dev.microdiffusion.core.SamplingOptions;
import dev.microdiffusion.core.StepObserver;
import dev.microdiffusion.core.math.Softmax;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The reference's sampler. For k = T down to 1: p = softmax(logits / τ) at each masked position, a token drawn from
 * p and its confidence max(p); with n masked positions in a row, the ⌊n·rate(t_{k−1})/rate(t_k)⌋ least confident
 * stay masked (all are revealed at k = 1) and the others take their drawn token.
 *
 * <p>Tokens are drawn only where a position is masked, so once no row has one the remaining steps could change
 * nothing and the model is not called again.
 */
public final class ConfidenceSampler implements Sampler {

    public static final String NAME = "confidence";

    private float[] logits = new float[0];
    private float[] times = new float[0];
    private double[] probabilities = new double[0];
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
            if (canvas.maskedCount() == 0) {
                break;
            }
            Arrays.fill(times, 0, rows, (float) ((double) k / steps));
            pass.forward(tokens, times, rows, logits);
            double keepFraction = k > 1 ? schedule.rate(k - 1, steps) / schedule.rate(k, steps) : 0.0;

            for (int r = 0; r < rows; r++) {
                int base = r * length;
                int n = 0;
                for (int i = 0; i < length; i++) {
                    if (tokens[base + i] == mask) {
                        int position = base + i;
                        confidence[n] = Softmax.probabilities(logits, position * vocab, vocab, temperature, probabilities);
                        drawn[n] = Draw.categorical(probabilities, vocab, random);
                        positions[n] = position;
                        n++;
                    }
                }
                if (n == 0) {
                    continue;
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
        }
        if (probabilities.length < canvas.vocabSize()) {
            probabilities = new double[canvas.vocabSize()];
        }
        if (positions.length < canvas.length()) {
            positions = new int[canvas.length()];
            drawn = new int[canvas.length()];
            confidence = new double[canvas.length()];
        }
    }
}
