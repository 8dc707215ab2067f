package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;

/**
 * Softmax cross-entropy of rows of logits against target ids, with its gradient, as the trainer computes the
 * reference's loss: per row, log Σ exp(logits − max) − (logits[target] − max), the exponentials by the kernel, and
 * dL/dlogits = scale·(softmax − one-hot(target)).
 */
public final class CrossEntropy {

    private final MatrixKernel kernel;
    private final int classes;

    /**
     * Cross-entropies of rows of {@code classes} logits.
     *
     * @param kernel  the kernel the exponentials run on
     * @param classes logits per row (V)
     */
    public CrossEntropy(MatrixKernel kernel, int classes) {
        this.kernel = kernel;
        this.classes = classes;
    }

    /**
     * The summed loss of {@code rows} rows, writing each row's gradient.
     *
     * @param logits   [rows, classes]
     * @param targets  one id per row
     * @param rows     rows
     * @param scale    the factor of every gradient (1/rows for a mean)
     * @param dLogits  receives [rows, classes]
     * @param scratch  at least rows·classes floats the call may overwrite
     * @return Σ_rows −log softmax(logits)[target], in nats
     */
    public double lossAndGradient(float[] logits, int[] targets, int rows, float scale, float[] dLogits,
            float[] scratch) {
        return Softmax.crossEntropyRows(kernel, logits, rows, classes, targets, scale, dLogits, scratch);
    }
}
