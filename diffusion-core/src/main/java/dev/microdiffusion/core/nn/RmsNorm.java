package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;

/**
 * RMSNorm over rows of width d: y = x·r·scale with r = 1/√(mean(x²) + ε), a learned scale per column (ones at
 * first). The row sums run on the kernel ({@link MatrixKernel#rmsNorm}).
 */
public final class RmsNorm {

    /** ε inside the square root, the reference's. */
    public static final float EPSILON = 1e-8f;

    private final MatrixKernel kernel;
    private final Parameter scale;
    private final int width;

    /**
     * Registers {@code name.scale} [width].
     *
     * @param kernel     the kernel the row sums run on
     * @param parameters where the scale is registered
     * @param name       the layer's name, e.g. {@code blocks.0.norm1}
     * @param width      the width d
     */
    public RmsNorm(MatrixKernel kernel, ParameterList parameters, String name, int width) {
        this.kernel = kernel;
        this.scale = parameters.add(name + ".scale", Parameter.Kind.SCALE, width);
        this.width = width;
    }

    /** Sets the scale to ones (draws nothing). */
    public void initialise() {
        Init.ones(scale);
    }

    /** {@return the learned scale} */
    public Parameter scale() {
        return scale;
    }

    /**
     * Writes y and each row's r (kept for {@link #backward}).
     *
     * @param x    [rows, d]
     * @param y    receives [rows, d]
     * @param r    receives [rows]
     * @param rows rows
     */
    public void forward(float[] x, float[] y, float[] r, int rows) {
        kernel.rmsNorm(x, scale.values(), y, r, rows, width, EPSILON);
    }

    /**
     * Adds dL/dx into {@code dx} (a residual stream's gradient, usually) and dL/dscale into {@code gradients}.
     *
     * @param dy        [rows, d]
     * @param x         [rows, d]: the forward's input
     * @param r         [rows]: the forward's r
     * @param dx        [rows, d], added into
     * @param gradients where the scale's gradient is added
     * @param rows      rows
     */
    public void backward(float[] dy, float[] x, float[] r, float[] dx, Gradients gradients, int rows) {
        kernel.rmsNormBackward(dy, x, scale.values(), r, dx, gradients.of(scale), rows, width);
    }
}
