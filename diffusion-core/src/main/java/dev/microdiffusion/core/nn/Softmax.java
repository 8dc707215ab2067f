package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;
import java.util.Arrays;

/**
 * Softmax and cross-entropy over rows of logits, with the max subtracted first. The methods without a kernel are the
 * plain reference, in double; the ones taking a {@link MatrixKernel} compute the exponentials with it (the training
 * step uses those) and keep sums and normalisation in double. The cross-entropy layer ({@link CrossEntropy}), the
 * trainer, the NELBO and fill-mask predictions use them; samplers draw from a distribution of their own.
 */
public final class Softmax {

    private Softmax() {
    }

    /**
     * The largest of n logits, as four interleaved running maxima: Math.max is associative and commutative (NaN wins,
     * +0 above −0), so the same value as one left-to-right pass, without a chain of n dependent steps.
     */
    private static float max(float[] logits, int offset, int n) {
        float m0 = Float.NEGATIVE_INFINITY;
        float m1 = Float.NEGATIVE_INFINITY;
        float m2 = Float.NEGATIVE_INFINITY;
        float m3 = Float.NEGATIVE_INFINITY;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            m0 = Math.max(m0, logits[offset + i]);
            m1 = Math.max(m1, logits[offset + i + 1]);
            m2 = Math.max(m2, logits[offset + i + 2]);
            m3 = Math.max(m3, logits[offset + i + 3]);
        }
        for (; i < n; i++) {
            m0 = Math.max(m0, logits[offset + i]);
        }
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /**
     * The cross-entropies of {@code rows} rows of n logits at once, each as
     * {@link #crossEntropy(MatrixKernel, float[], int, int, int, float, float[])} computes it (the same bits): the row
     * maxima go into {@code shift} (at least rows·n floats) and one kernel call makes every exponential.
     *
     * @param kernel computes the exponentials
     * @param logits [rows, n] logits, row-major
     * @param rows how many rows
     * @param n the row length (the vocabulary)
     * @param targets each row's target id
     * @param scale every row's gradient factor
     * @param gradient receives [rows, n] gradients, (p − onehot(target))·scale
     * @param shift scratch of at least rows·n floats
     * @return the sum of the rows' losses
     */
    public static double crossEntropyRows(MatrixKernel kernel, float[] logits, int rows, int n, int[] targets, float scale,
            float[] gradient, float[] shift) {
        return rows(kernel, logits, rows, n, targets, scale, null, null, gradient, shift);
    }

    /**
     * As {@link #crossEntropyRows}, with row r's gradient scaled by {@code scales[r]} and its loss weighted by
     * {@code weights[r]} in the sum (each row the same bits as
     * {@link #crossEntropy(MatrixKernel, float[], int, int, int, float, float[])} with scale {@code scales[r]}).
     *
     * @param kernel computes the exponentials
     * @param logits [rows, n] logits, row-major
     * @param rows how many rows
     * @param n the row length (the vocabulary)
     * @param targets each row's target id
     * @param scales each row's gradient factor
     * @param weights each row's weight in the sum
     * @param gradient receives [rows, n] gradients
     * @param shift scratch of at least rows·n floats
     * @return Σ_r weights[r]·loss_r, added in row order
     */
    public static double weightedCrossEntropyRows(MatrixKernel kernel, float[] logits, int rows, int n, int[] targets,
            float[] scales, float[] weights, float[] gradient, float[] shift) {
        return rows(kernel, logits, rows, n, targets, 0f, scales, weights, gradient, shift);
    }

    /** Both of the above: row r's scale is {@code scales[r]} (or {@code scale}), its weight {@code weights[r]} (or 1). */
    private static double rows(MatrixKernel kernel, float[] logits, int rows, int n, int[] targets, float scale,
            float[] scales, float[] weights, float[] gradient, float[] shift) {
        for (int r = 0; r < rows; r++) {
            Arrays.fill(shift, r * n, (r + 1) * n, max(logits, r * n, n));
        }
        kernel.expShifted(logits, shift, 1f, gradient, 0, rows * n);
        double total = 0;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            // four rows' sums side by side, each in its own left-to-right order: four independent chains of additions
            // where one row at a time waits on every addition before the next
            int o = r * n;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int i = 0; i < n; i++) {
                s0 += gradient[o + i];
                s1 += gradient[o + n + i];
                s2 += gradient[o + 2 * n + i];
                s3 += gradient[o + 3 * n + i];
            }
            total += normalise(logits, r, n, s0, targets, scale, scales, weights, gradient, shift);
            total += normalise(logits, r + 1, n, s1, targets, scale, scales, weights, gradient, shift);
            total += normalise(logits, r + 2, n, s2, targets, scale, scales, weights, gradient, shift);
            total += normalise(logits, r + 3, n, s3, targets, scale, scales, weights, gradient, shift);
        }
        for (; r < rows; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += gradient[r * n + i];
            }
            total += normalise(logits, r, n, sum, targets, scale, scales, weights, gradient, shift);
        }
        return total;
    }

    /**
     * Row r's exponentials (summing to {@code sum}) become its gradient, (p − onehot(target))·scale.
     *
     * @return the row's loss, times its weight when there are weights
     */
    private static double normalise(float[] logits, int r, int n, double sum, int[] targets, float scale,
            float[] scales, float[] weights, float[] gradient, float[] shift) {
        int offset = r * n;
        double inv = 1.0 / sum;
        int target = targets[r];
        float rowScale = scales == null ? scale : scales[r];
        for (int i = 0; i < n; i++) {
            double p = gradient[offset + i] * inv;
            gradient[offset + i] = (float) ((i == target ? p - 1.0 : p) * rowScale);
        }
        double loss = Math.log(sum) - (logits[offset + target] - shift[offset]);
        return weights == null ? loss : weights[r] * loss;
    }

    /**
     * As {@link #crossEntropy(float[], int, int, int, float, float[])}, the exponentials by {@code kernel}.
     *
     * @param kernel computes the exponentials
     * @param logits the logits
     * @param offset where the row starts
     * @param n the row length
     * @param target the target id
     * @param scale the gradient's factor
     * @param gradient receives the row's gradient at {@code offset}
     * @return the row's loss
     */
    public static double crossEntropy(MatrixKernel kernel, float[] logits, int offset, int n, int target, float scale,
            float[] gradient) {
        float max = max(logits, offset, n);
        double sum = kernel.exp(logits, offset, max, 1f, gradient, offset, n);
        double inv = 1.0 / sum;
        for (int i = 0; i < n; i++) {
            double p = gradient[offset + i] * inv;
            gradient[offset + i] = (float) ((i == target ? p - 1.0 : p) * scale);
        }
        return Math.log(sum) - (logits[offset + target] - max);
    }

    /**
     * As {@link #crossEntropy(MatrixKernel, float[], int, int, int, float, float[])} with id {@code excluded} left out
     * of the softmax (MDLM's SUBS: MASK is never predicted); its gradient entry is 0. The kernel computes the
     * exponentials when the excluded id is the last (as MASK is for the char tokenizer); otherwise the plain loop.
     *
     * @param kernel computes the exponentials
     * @param logits the logits
     * @param offset where the row starts
     * @param n the row length
     * @param target the target id
     * @param excluded the id left out
     * @param scale the gradient's factor
     * @param gradient receives the row's gradient at {@code offset}
     * @return the row's loss
     */
    public static double crossEntropyExcluding(MatrixKernel kernel, float[] logits, int offset, int n, int target,
            int excluded, float scale, float[] gradient) {
        if (excluded == n - 1) {
            double loss = crossEntropy(kernel, logits, offset, n - 1, target, scale, gradient);
            gradient[offset + n - 1] = 0f;
            return loss;
        }
        return plainCrossEntropy(logits, offset, n, target, excluded, scale, gradient);
    }

    /**
     * p = softmax(logits[offset .. offset + n) / temperature) into {@code probabilities[0 .. n)}.
     *
     * @param logits the logits
     * @param offset where the row starts
     * @param n the row length
     * @param temperature τ, above 0
     * @param probabilities receives p
     * @return the largest probability
     */
    public static double probabilities(float[] logits, int offset, int n, double temperature, double[] probabilities) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp((logits[offset + i] - max) / temperature);
            probabilities[i] = e;
            sum += e;
        }
        double top = 0;
        for (int i = 0; i < n; i++) {
            double p = probabilities[i] / sum;
            probabilities[i] = p;
            top = Math.max(top, p);
        }
        return top;
    }

    /**
     * Cross-entropy −log softmax(logits)[target] of one row, and its gradient (p − onehot(target)) · scale written
     * to {@code gradient[offset .. offset + n)}.
     *
     * @param logits the logits
     * @param offset where the row starts
     * @param n the row length
     * @param target the target id
     * @param scale the gradient's factor
     * @param gradient receives the row's gradient
     * @return the row's loss
     */
    public static double crossEntropy(float[] logits, int offset, int n, int target, float scale, float[] gradient) {
        return plainCrossEntropy(logits, offset, n, target, -1, scale, gradient);
    }

    /** The plain loop, in double, with id {@code excluded} (−1: none) left out of the softmax. */
    private static double plainCrossEntropy(float[] logits, int offset, int n, int target, int excluded, float scale,
            float[] gradient) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (i != excluded) {
                max = Math.max(max, logits[offset + i]);
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (i != excluded) {
                sum += Math.exp(logits[offset + i] - max);
            }
        }
        double logSum = Math.log(sum);
        for (int i = 0; i < n; i++) {
            double p = i == excluded ? 0 : Math.exp(logits[offset + i] - max - logSum);
            gradient[offset + i] = (float) ((i == target ? p - 1.0 : p) * scale);
        }
        return logSum - (logits[offset + target] - max);
    }
}
