package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;

/**
 * A dense layer over x = one-hot(tokens) ‖ t, the first layer of the reference MLPs, without making x: row
 * {@code pos·V + token} of W [L·V + 1, out] is what one-hot position {@code pos} selects and row {@code L·V} is t's,
 * so x·W + b = b + Σ_pos W[pos·V + token_pos] + t·W[L·V]: L + 1 row additions instead of an (L·V + 1)-long dot
 * product per output. Backward scatters into those rows.
 */
public final class OneHotLinear {

    private final MatrixKernel kernel;
    private final Parameter weight;
    private final Parameter bias;
    private final int length;
    private final int vocab;
    private final int out;

    /**
     * A layer over a weight [L·V + 1, out] and a bias [out] registered by the caller.
     *
     * @param kernel the kernel the row additions run on
     * @param weight [L·V + 1, out]
     * @param bias   [out]
     * @param length L
     * @param vocab  V
     */
    public OneHotLinear(MatrixKernel kernel, Parameter weight, Parameter bias, int length, int vocab) {
        int[] shape = weight.shape();
        if (shape.length != 2 || shape[0] != length * vocab + 1 || bias.size() != shape[1]) {
            throw new IllegalArgumentException(weight.name() + ": need a weight [L·V + 1, out] and a bias [out]");
        }
        this.kernel = kernel;
        this.weight = weight;
        this.bias = bias;
        this.length = length;
        this.vocab = vocab;
        this.out = shape[1];
    }

    /**
     * out[b] = bias + t[b]·W[L·V] + Σ_pos W[pos·V + tokens[b, pos]], for each row b.
     *
     * @param tokens [batch, L] ids
     * @param times  one t per row
     * @param y      receives [batch, out]
     * @param batch  rows
     */
    public void forward(int[] tokens, float[] times, float[] y, int batch) {
        float[] w = weight.values();
        int timeRow = length * vocab * out;
        for (int b = 0; b < batch; b++) {
            int o = b * out;
            System.arraycopy(bias.values(), 0, y, o, out);
            kernel.axpy(times[b], w, timeRow, y, o, out);
            for (int pos = 0; pos < length; pos++) {
                int row = (pos * vocab + tokens[b * length + pos]) * out;
                kernel.axpy(1f, w, row, y, o, out);
            }
        }
    }

    /**
     * Adds dW and db: dW[pos·V + tokens[b, pos]] += dy[b], dW[L·V] += t[b]·dy[b], db += Σ_b dy[b].
     *
     * @param dy        [batch, out]
     * @param tokens    the forward's ids
     * @param times     the forward's times
     * @param gradients where the gradients are added
     * @param batch     rows
     */
    public void backward(float[] dy, int[] tokens, float[] times, Gradients gradients, int batch) {
        Rows.sumInto(dy, gradients.of(bias), batch, out);
        float[] dW = gradients.of(weight);
        int timeRow = length * vocab * out;
        for (int b = 0; b < batch; b++) {
            int o = b * out;
            for (int pos = 0; pos < length; pos++) {
                int row = (pos * vocab + tokens[b * length + pos]) * out;
                kernel.axpy(1f, dy, o, dW, row, out);
            }
            kernel.axpy(times[b], dy, o, dW, timeRow, out);
        }
    }
}
