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

    /**
     * Adds dL/dx into {@code dx} and dL/dscale into {@code dScale}. With a = Σ_j scale_j·dy_j·x_j:
     * dx_i = r·scale_i·dy_i − r³·x_i·a/d.
     */
    static void backward(float[] dy, float[] x, float[] scale, float[] r, float[] dx, float[] dScale, int rows, int d) {
        for (int row = 0; row < rows; row++) {
            int o = row * d;
            float inv = r[row];
            float a = 0f;
            for (int i = 0; i < d; i++) {
                a += scale[i] * dy[o + i] * x[o + i];
                dScale[i] += dy[o + i] * x[o + i] * inv;
            }
            float c = inv * inv * inv * a / d;
            for (int i = 0; i < d; i++) {
                dx[o + i] += inv * scale[i] * dy[o + i] - c * x[o + i];
            }
        }
    }
}
