package dev.microdiffusion.core.math;

/**
 * The plain, scalar form of every {@link dev.microdiffusion.core.math.MatrixKernel} operation but the products: the
 * portable kernel runs these, the vector kernel runs them for shapes its lanes do not fit, and tests hold the vector
 * kernel to them. Each sum runs in the order the interface states, so the vector lanes can round as these do.
 */
final class ScalarKernel {

    private ScalarKernel() {
    }

    static void gelu(float[] in, float[] out, int n) {
        Gelu.forward(in, out, n);
    }
    static void geluBackward(float[] in, float[] dOut, float[] dIn, int n) {
        Gelu.backward(in, dOut, dIn, n);
    }
    static void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int n) {
        for (int i = 0; i < n; i++) {
            y[yOffset + i] += a * x[xOffset + i];
        }
    }
    static void expShifted(float[] in, float[] shift, float scale, float[] out, int outOffset, int n) {
        for (int i = 0; i < n; i++) {
            out[outOffset + i] = (float) Math.exp((in[i] - shift[i]) * scale);
        }
    }
    static void rmsNorm(float[] x, float[] scale, float[] y, float[] r, int rows, int d, float epsilon) {
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
    static void rmsNormBackward(float[] dy, float[] x, float[] scale, float[] r, float[] dx, float[] dScale, int rows,
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
    static void attention(float[] qkv, float[] probabilities, float[] out, int batch, int length, int heads,
            int headDim) {
        checkAttention(qkv, probabilities, out, "out", batch, length, heads, headDim);
        int d = heads * headDim;
        int stride = 3 * d;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int q = b * length * stride + h * headDim;
                int k = q + d;
                int v = q + 2 * d;
                int p = (b * heads + h) * length * length;
                for (int i = 0; i < length; i++) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < length; j++) {
                        float s = 0f;
                        for (int c = 0; c < headDim; c++) {
                            s = Math.fma(qkv[q + i * stride + c], qkv[k + j * stride + c], s);
                        }
                        probabilities[p + j * length + i] = s;
                        max = Math.max(max, s);
                    }
                    float sum = 0f;
                    for (int j = 0; j < length; j++) {
                        float e = (float) Math.exp((probabilities[p + j * length + i] - max) * scale);
                        probabilities[p + j * length + i] = e;
                        sum += e;
                    }
                    float inv = 1f / sum;
                    for (int j = 0; j < length; j++) {
                        probabilities[p + j * length + i] *= inv;
                    }
                    int o = (b * length + i) * d + h * headDim;
                    for (int c = 0; c < headDim; c++) {
                        float acc = 0f;
                        for (int j = 0; j < length; j++) {
                            acc = Math.fma(probabilities[p + j * length + i], qkv[v + j * stride + c], acc);
                        }
                        out[o + c] = acc;
                    }
                }
            }
        }
    }
    static void attentionBackward(float[] dOut, float[] qkv, float[] probabilities, float[] dQkv, int batch,
            int length, int heads, int headDim) {
        checkAttention(qkv, probabilities, dOut, "dOut", batch, length, heads, headDim);
        checkAttention(dQkv, probabilities, dOut, "dOut", batch, length, heads, headDim);
        int d = heads * headDim;
        int stride = 3 * d;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int q = b * length * stride + h * headDim;
                int k = q + d;
                int v = q + 2 * d;
                int p = (b * heads + h) * length * length;
                for (int i = 0; i < length; i++) {
                    for (int c = 0; c < headDim; c++) {
                        dQkv[q + i * stride + c] = 0f;
                        dQkv[k + i * stride + c] = 0f;
                        dQkv[v + i * stride + c] = 0f;
                    }
                }
                for (int i = 0; i < length; i++) {
                    int o = (b * length + i) * d + h * headDim;
                    float dot = 0f;
                    for (int j = 0; j < length; j++) {
                        dot += probabilities[p + j * length + i] * scoreGradient(dOut, o, qkv, v + j * stride, headDim);
                    }
                    for (int j = 0; j < length; j++) {
                        float pij = probabilities[p + j * length + i];
                        float dS = pij * (scoreGradient(dOut, o, qkv, v + j * stride, headDim) - dot) * scale;
                        for (int c = 0; c < headDim; c++) {
                            // fused, each sum in increasing i or j: a vector kernel's chains give the same bits
                            dQkv[q + i * stride + c] = Math.fma(dS, qkv[k + j * stride + c], dQkv[q + i * stride + c]);
                            dQkv[k + j * stride + c] = Math.fma(dS, qkv[q + i * stride + c], dQkv[k + j * stride + c]);
                            dQkv[v + j * stride + c] = Math.fma(pij, dOut[o + c], dQkv[v + j * stride + c]);
                        }
                    }
                }
            }
        }
    }
    static double exp(float[] in, int inOffset, float shift, float scale, float[] out, int outOffset, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp((in[inOffset + i] - shift) * scale);
            out[outOffset + i] = e;
            sum += e;
        }
        return sum;
    }

    /**
     * Refuses arrays too short for {@link dev.microdiffusion.core.math.MatrixKernel#attention}'s shapes (q | k | v rows, probabilities, the [batch·L, d] one),
     * naming the one that is, before any is written.
     *
     * @param qkv the q | k | v rows
     * @param probabilities P
     * @param rows the [batch·L, d] array
     * @param rowsName its name in the message
     * @param batch rows of the batch
     * @param length L
     * @param heads heads
     * @param headDim hd
     */
    static void checkAttention(float[] qkv, float[] probabilities, float[] rows, String rowsName, int batch,
            int length, int heads, int headDim) {
        if (batch < 0 || length < 1 || heads < 1 || headDim < 1) {
            throw new IllegalArgumentException("attention needs batch ≥ 0 and length, heads, head size ≥ 1, got "
                    + batch + ", " + length + ", " + heads + ", " + headDim);
        }
        long cells = (long) batch * length * heads * headDim;
        long scores = (long) batch * heads * length * length;
        if (qkv.length < 3 * cells || probabilities.length < scores || rows.length < cells) {
            throw new IllegalArgumentException("attention arrays too short: q|k|v " + qkv.length + "/" + 3 * cells
                    + ", probabilities " + probabilities.length + "/" + scores + ", " + rowsName + " " + rows.length
                    + "/" + cells);
        }
    }

    /** dP(i, j) = Σ_c dout(i, c)·v(j, c), for {@link dev.microdiffusion.core.math.MatrixKernel#attentionBackward}. */
    private static float scoreGradient(float[] dOut, int o, float[] qkv, int v, int headDim) {
        float s = 0f;
        for (int c = 0; c < headDim; c++) {
            s = Math.fma(dOut[o + c], qkv[v + c], s);
        }
        return s;
    }
}
