package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;

/**
 * A dense layer y = x·Wᵀ + b over rows of {@code in} values, PyTorch's {@code nn.Linear}: W is [out, in]. A layer
 * whose file stores W as [in, out] (y = x·W, the reference MLPs' layout) is made with {@link #inputMajor}. The
 * products run on the denoiser's {@link MatrixKernel}; the layer keeps no activations, so one layer serves every
 * pass of a model.
 */
public final class Linear {

    private final MatrixKernel kernel;
    private final Parameter weight;
    private final Parameter bias;
    private final int in;
    private final int out;
    private final boolean outputMajor;

    private Linear(MatrixKernel kernel, Parameter weight, Parameter bias, int in, int out, boolean outputMajor) {
        this.kernel = kernel;
        this.weight = weight;
        this.bias = bias;
        this.in = in;
        this.out = out;
        this.outputMajor = outputMajor;
    }

    /**
     * Registers {@code name.weight} [out, in] and, with a bias, {@code name.bias} [out].
     *
     * @param kernel     the kernel the products run on
     * @param parameters where the parameters are registered
     * @param name       the layer's name, e.g. {@code blocks.0.mlp.fc1}
     * @param in         inputs per row
     * @param out        outputs per row
     * @param bias       whether the layer has a bias
     * @return the layer
     */
    public static Linear of(MatrixKernel kernel, ParameterList parameters, String name, int in, int out,
            boolean bias) {
        Parameter w = parameters.add(name + ".weight", Parameter.Kind.WEIGHT, out, in);
        Parameter b = bias ? parameters.add(name + ".bias", Parameter.Kind.BIAS, out) : null;
        return new Linear(kernel, w, b, in, out, true);
    }

    /**
     * A layer over a weight of {@code out·in} values read as [out, in] (y = x·Wᵀ + b), registered by the caller
     * whatever its shape (a convolution's [out, in, k] is [out, in·k]).
     *
     * @param kernel the kernel the products run on
     * @param weight out·in values
     * @param bias   [out], or null
     * @param in     inputs per row
     * @param out    outputs per row
     * @return the layer
     * @throws IllegalArgumentException if the sizes do not fit
     */
    public static Linear outputMajor(MatrixKernel kernel, Parameter weight, Parameter bias, int in, int out) {
        if (weight.size() != in * out || (bias != null && bias.size() != out)) {
            throw new IllegalArgumentException(weight.name() + ": " + weight.size() + " values are not [" + out
                    + ", " + in + "]");
        }
        return new Linear(kernel, weight, bias, in, out, true);
    }

    /**
     * A layer over a weight stored as [in, out] (y = x·W + b), registered by the caller under its own names.
     *
     * @param kernel the kernel the products run on
     * @param weight [in, out]
     * @param bias   [out], or null
     * @return the layer
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public static Linear inputMajor(MatrixKernel kernel, Parameter weight, Parameter bias) {
        int[] shape = weight.shape();
        if (shape.length != 2 || (bias != null && bias.size() != shape[1])) {
            throw new IllegalArgumentException(weight.name() + ": need a weight [in, out] and a bias [out]");
        }
        return new Linear(kernel, weight, bias, shape[0], shape[1], false);
    }

    /**
     * PyTorch's default for {@code nn.Linear}: W, then b, each U(±1/√in).
     *
     * @param init the initialisers
     */
    public void initialise(Init init) {
        double bound = 1.0 / Math.sqrt(in);
        init.uniform(weight, bound);
        if (bias != null) {
            init.uniform(bias, bound);
        }
    }

    /** {@return W} */
    public Parameter weight() {
        return weight;
    }

    /** {@return b, or null} */
    public Parameter bias() {
        return bias;
    }

    /** {@return inputs per row} */
    public int in() {
        return in;
    }

    /** {@return outputs per row} */
    public int out() {
        return out;
    }

    /**
     * y = x·Wᵀ + b.
     *
     * @param x    [rows, in]
     * @param y    receives [rows, out]
     * @param rows rows
     */
    public void forward(float[] x, float[] y, int rows) {
        if (outputMajor) {
            kernel.multiplyTransposeB(x, weight.values(), y, rows, in, out);
        } else {
            kernel.multiply(x, weight.values(), y, rows, in, out);
        }
        if (bias != null) {
            Rows.addVector(y, bias.values(), rows, out);
        }
    }

    /**
     * Adds dL/dW and dL/db into {@code gradients} and writes dL/dx.
     *
     * @param dy        [rows, out]: dL/dy
     * @param x         [rows, in]: the forward's input
     * @param dx        receives [rows, in] (overwritten), or null when the input needs no gradient
     * @param gradients where the parameters' gradients are added
     * @param rows      rows
     */
    public void backward(float[] dy, float[] x, float[] dx, Gradients gradients, int rows) {
        if (outputMajor) {
            kernel.multiplyTransposeAAdd(dy, x, gradients.of(weight), rows, out, in);
        } else {
            kernel.multiplyTransposeAAdd(x, dy, gradients.of(weight), rows, in, out);
        }
        if (bias != null) {
            Rows.sumInto(dy, gradients.of(bias), rows, out);
        }
        if (dx != null) {
            if (outputMajor) {
                kernel.multiply(dy, weight.values(), dx, rows, out, in);
            } else {
                kernel.multiplyTransposeB(dy, weight.values(), dx, rows, out, in);
            }
        }
    }
}
