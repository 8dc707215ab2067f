package dev.microdiffusion.transformer;

import dev.microdiffusion.core.math.MatrixKernel;

/**
 * RMSNorm over rows of width d: y = x · r · scale with r = 1/√(mean(x²) + ε), ε = 1e-8 inside the square root as in
 * the reference.
 */
final class RmsNorm {

    static final float EPSILON = 1e-8f;

    private RmsNorm() {
    }

    /** Writes y and each row's r (kept for backward), the row sums by the kernel. */
    static void forward(MatrixKernel kernel, float[] x, float[] scale, float[] y, float[] r, int rows, int d) {
        kernel.rmsNorm(x, scale, y, r, rows, d, EPSILON);
    }

    /** Adds dL/dx into {@code dx} and dL/dscale into {@code dScale} (see {@link MatrixKernel#rmsNormBackward}). */
    static void backward(MatrixKernel kernel, float[] dy, float[] x, float[] scale, float[] r, float[] dx,
            float[] dScale, int rows, int d) {
        kernel.rmsNormBackward(dy, x, scale, r, dx, dScale, rows, d);
    }
}
