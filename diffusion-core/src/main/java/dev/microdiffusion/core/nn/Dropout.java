package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.sampling.RowRandom;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Inverted dropout, as PyTorch's {@code nn.Dropout}: while training each value is zeroed with probability p and the
 * kept ones are scaled by 1/(1 − p), so inference (no dropout) needs no rescaling. The values of batch row b are
 * decided from {@code random.row(b)} alone (see {@link dev.microdiffusion.core.spi.Denoiser.Pass#training}), in
 * order, one 32-bit draw each. The mask is kept for the backward pass.
 */
public final class Dropout {

    /** The largest probability accepted: beyond it almost nothing reaches the next layer. */
    public static final double MAX_PROBABILITY = 0.9;

    /** Draws are compared in 24 bits: the float a kept value is scaled by has no more. */
    private static final int BITS = 24;

    private final double probability;
    private final int threshold;
    private final float keptScale;

    /**
     * @param probability p in [0, {@value #MAX_PROBABILITY}]; 0 drops nothing (and draws nothing)
     */
    public Dropout(double probability) {
        if (!(probability >= 0 && probability <= MAX_PROBABILITY)) {
            throw new IllegalArgumentException("dropout probability must be in [0, " + MAX_PROBABILITY + "], got "
                    + probability);
        }
        this.probability = probability;
        this.threshold = (int) Math.round(probability * (1 << BITS));
        this.keptScale = (float) (1.0 / (1.0 - probability));
    }

    /** {@return p} */
    public double probability() {
        return probability;
    }

    /** {@return whether it drops anything while training (p &gt; 0)} */
    public boolean active() {
        return threshold > 0;
    }

    /**
     * Drops values of x in place while training: x[i] ·= mask[i], mask[i] being 0 or 1/(1 − p). With {@code random}
     * null (inference) or p = 0 it changes nothing and returns false; the backward pass is then to be skipped too.
     *
     * @param x            [batch, valuesPerRow], changed in place
     * @param mask         receives [batch, valuesPerRow]
     * @param batch        rows
     * @param valuesPerRow the values of one batch row (positions × width)
     * @param random       each batch row's stream, or null for inference
     * @return whether it dropped (and {@code mask} holds this call's mask)
     */
    public boolean forward(float[] x, float[] mask, int batch, int valuesPerRow, RowRandom random) {
        if (random == null || !active()) {
            return false;
        }
        for (int b = 0; b < batch; b++) {
            UniformRandomProvider row = random.row(b);
            int from = b * valuesPerRow;
            for (int i = from; i < from + valuesPerRow; i++) {
                float m = (row.nextInt() >>> (Integer.SIZE - BITS)) < threshold ? 0f : keptScale;
                mask[i] = m;
                x[i] *= m;
            }
        }
        return true;
    }

    /**
     * d ·= mask: the gradient through a forward that dropped (returned true).
     *
     * @param d    [n] the gradient of the output, becoming that of the input
     * @param mask the forward's mask
     * @param n    how many values
     */
    public static void backward(float[] d, float[] mask, int n) {
        for (int i = 0; i < n; i++) {
            d[i] *= mask[i];
        }
    }

    /**
     * out = d ⊙ mask, leaving d as it is (for a gradient that also flows past the dropped branch).
     *
     * @param d    [n] the gradient of the output
     * @param mask the forward's mask
     * @param out  receives [n]
     * @param n    how many values
     */
    public static void backward(float[] d, float[] mask, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = d[i] * mask[i];
        }
    }
}
