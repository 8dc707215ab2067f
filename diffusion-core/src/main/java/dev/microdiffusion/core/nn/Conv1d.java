package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import java.util.Arrays;

/**
 * A 1-D convolution along a row's positions with "same" zero padding, PyTorch's {@code nn.Conv1d} on channels-last
 * activations: y[b, l, o] = bias[o] + Σ_c Σ_j W[o, c, j]·x[b, l + j − (k − 1)/2, c], W [out, in, k] ({@code
 * name.weight}), an odd kernel size k. Computed as one product: each position's window is laid out as a column of
 * in·k values (channel-major, as W is) and multiplied by W viewed as [out, in·k].
 */
public final class Conv1d {

    private final Linear product;
    private final int length;
    private final int in;
    private final int size;

    /**
     * Registers {@code name.weight} [out, in, k] and, with a bias, {@code name.bias} [out].
     *
     * @param kernel     the kernel the product runs on
     * @param parameters where the parameters are registered
     * @param name       the layer's name, e.g. {@code blocks.0.conv}
     * @param length     L, the positions of a row
     * @param in         input channels
     * @param out        output channels
     * @param size       the kernel size k, odd
     * @param bias       whether the layer has a bias
     */
    public Conv1d(MatrixKernel kernel, ParameterList parameters, String name, int length, int in, int out, int size,
            boolean bias) {
        if (size < 1 || size % 2 == 0) {
            throw new IllegalArgumentException(name + ": the kernel size must be odd, got " + size);
        }
        Parameter w = parameters.add(name + ".weight", Parameter.Kind.WEIGHT, out, in, size);
        Parameter b = bias ? parameters.add(name + ".bias", Parameter.Kind.BIAS, out) : null;
        this.product = Linear.outputMajor(kernel, w, b, in * size, out);
        this.length = length;
        this.in = in;
        this.size = size;
    }

    /**
     * PyTorch's default for {@code nn.Conv1d}: W, then b, each U(±1/√(in·k)).
     *
     * @param init the initialisers
     */
    public void initialise(Init init) {
        product.initialise(init);
    }

    /** What one batch's forward keeps for its backward: the windows, and the backward's scratch. */
    public final class Activations {
        private final float[] windows;
        private float[] dWindows;

        private Activations(int maxBatch) {
            windows = new float[maxBatch * length * in * size];
        }
    }

    /**
     * Buffers for batches of up to {@code maxBatch} rows; one per pass and layer.
     *
     * @param maxBatch the most rows of a batch
     * @return the buffers
     */
    public Activations newActivations(int maxBatch) {
        return new Activations(maxBatch);
    }

    /**
     * y = conv(x).
     *
     * @param x     [batch·L, in]
     * @param y     receives [batch·L, out]
     * @param a     this batch's buffers
     * @param batch rows of the batch
     */
    public void forward(float[] x, float[] y, Activations a, int batch) {
        Arrays.fill(a.windows, 0, batch * length * in * size, 0f);
        windows(x, a.windows, batch, true);
        product.forward(a.windows, y, batch * length);
    }

    /**
     * Adds the parameters' gradients and writes dL/dx.
     *
     * @param dy        [batch·L, out]
     * @param dx        receives [batch·L, in] (overwritten)
     * @param a         the buffers the forward filled
     * @param gradients where the gradients are added
     * @param batch     rows of the batch
     */
    public void backward(float[] dy, float[] dx, Activations a, Gradients gradients, int batch) {
        if (a.dWindows == null) {
            a.dWindows = new float[a.windows.length];
        }
        product.backward(dy, a.windows, a.dWindows, gradients, batch * length);
        Arrays.fill(dx, 0, batch * length * in, 0f);
        windows(dx, a.dWindows, batch, false);
    }

    /**
     * Walks every (position, tap, channel) of the windows: copies rows into them (forward), or adds them back into
     * the rows they were copied from (backward). Taps beyond the row are padding and stay out.
     */
    private void windows(float[] rows, float[] windows, int batch, boolean gather) {
        int half = (size - 1) / 2;
        int columns = in * size;
        for (int b = 0; b < batch; b++) {
            for (int l = 0; l < length; l++) {
                int window = (b * length + l) * columns;
                for (int j = 0; j < size; j++) {
                    int source = l + j - half;
                    if (source < 0 || source >= length) {
                        continue;
                    }
                    int row = (b * length + source) * in;
                    for (int c = 0; c < in; c++) {
                        if (gather) {
                            windows[window + c * size + j] = rows[row + c];
                        } else {
                            rows[row + c] += windows[window + c * size + j];
                        }
                    }
                }
            }
        }
    }
}
