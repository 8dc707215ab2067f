package dev.microdiffusion.core.math;

/**
 * The dense math that denoisers' forward and backward passes (and the training and sampling loops) spend their time in:
 * matrix products on flat row-major {@code float[]} matrices, and the element-wise functions a profile shows matter
 * (GELU, and the exponentials of softmax rows). The element-wise ones have plain scalar defaults; a fast kernel
 * overrides them.
 * Arrays may be longer than the matrix they hold (buffers sized for the largest batch); only the leading
 * {@code rows × cols} values are read or written. Implementations must be safe to call from several threads at once
 * on distinct output arrays.
 */
public interface MatrixKernel {

    /** A short name for logs and benchmarks. */
    String name();

    /** C[m×n] = A[m×k] · B[k×n]. */
    void multiply(float[] a, float[] b, float[] c, int m, int k, int n);

    /** C[k×n] += A[m×k]ᵀ · B[m×n] (the weight gradient of a linear layer). */
    void multiplyTransposeAAdd(float[] a, float[] b, float[] c, int m, int k, int n);

    /** C[m×n] = A[m×k] · B[n×k]ᵀ (the input gradient of a linear layer). */
    void multiplyTransposeB(float[] a, float[] b, float[] c, int m, int k, int n);

    /** out[i] = GELU(in[i]) for i &lt; n (the exact, erf form); {@code out} may be {@code in}. */
    default void gelu(float[] in, float[] out, int n) {
        Gelu.forward(in, out, n);
    }

    /** dIn[i] = dOut[i]·GELU′(in[i]) for i &lt; n; {@code dIn} may be {@code dOut}. */
    default void geluBackward(float[] in, float[] dOut, float[] dIn, int n) {
        Gelu.backward(in, dOut, dIn, n);
    }

    /**
     * y[yOffset + i] += a·x[xOffset + i] for i &lt; n (a product then a sum, not fused, so every kernel gives the same
     * bits) — embedding rows gathered and scattered by index, the one-hot first layer of the MLPs.
     */
    default void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int n) {
        for (int i = 0; i < n; i++) {
            y[yOffset + i] += a * x[xOffset + i];
        }
    }

    /**
     * out[outOffset + i] = exp((in[i] − shift[i])·scale) for i &lt; n: the softmax numerators of many rows in one call,
     * each row's max repeated in {@code shift} (the same values as {@link #exp} with that shift and scale).
     */
    default void expShifted(float[] in, float[] shift, float scale, float[] out, int outOffset, int n) {
        for (int i = 0; i < n; i++) {
            out[outOffset + i] = (float) Math.exp((in[i] - shift[i]) * scale);
        }
    }

    /**
     * RMSNorm over rows of width d: y = x·r·scale with r = 1/√(mean(x²) + ε), each row's r written to {@code r} (kept
     * for the backward pass). The default sums the squares left to right.
     */
    default void rmsNorm(float[] x, float[] scale, float[] y, float[] r, int rows, int d, float epsilon) {
        for (int row = 0; row < rows; row++) {
            int o = row * d;
            float sumSquares = 0f;
            for (int i = 0; i < d; i++) {
                sumSquares += x[o + i] * x[o + i];
            }
            float inv = (float) (1.0 / Math.sqrt(sumSquares / d + epsilon));
            r[row] = inv;
            for (int i = 0; i < d; i++) {
                y[o + i] = x[o + i] * inv * scale[i];
            }
        }
    }

    /**
     * RMSNorm's backward pass: adds dL/dx into {@code dx} and dL/dscale into {@code dScale}, with r from the forward.
     * With a = Σ_j scale_j·dy_j·x_j: dx_i = r·scale_i·dy_i − r³·x_i·a/d, dscale_i = Σ_rows dy_i·x_i·r. The default
     * sums a left to right.
     */
    default void rmsNormBackward(float[] dy, float[] x, float[] scale, float[] r, float[] dx, float[] dScale, int rows,
            int d) {
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

    /**
     * out[outOffset + i] = exp((in[inOffset + i] − shift)·scale) for i &lt; n — a softmax row's numerators, with the
     * row's max as shift and 1/τ as scale.
     *
     * @return Σ out, accumulated in double
     */
    default double exp(float[] in, int inOffset, float shift, float scale, float[] out, int outOffset, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp((in[inOffset + i] - shift) * scale);
            out[outOffset + i] = e;
            sum += e;
        }
        return sum;
    }
}
