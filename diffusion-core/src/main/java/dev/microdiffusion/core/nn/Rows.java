package dev.microdiffusion.core.nn;

import java.util.Arrays;

/** Element-wise helpers on row-major [count × width] matrices: biases, residual connections, broadcasts. */
public final class Rows {

    private Rows() {
    }

    /**
     * rows[r] += vector for every row (a bias).
     *
     * @param rows   [count, width], added into
     * @param vector [width]
     * @param count  rows
     * @param width  the width
     */
    public static void addVector(float[] rows, float[] vector, int count, int width) {
        for (int r = 0; r < count; r++) {
            int base = r * width;
            for (int j = 0; j < width; j++) {
                rows[base + j] += vector[j];
            }
        }
    }

    /**
     * into += Σ_r rows[r] (a bias's gradient), rows added in order.
     *
     * @param rows  [count, width]
     * @param into  [width], added into
     * @param count rows
     * @param width the width
     */
    public static void sumInto(float[] rows, float[] into, int count, int width) {
        for (int r = 0; r < count; r++) {
            int base = r * width;
            for (int j = 0; j < width; j++) {
                into[j] += rows[base + j];
            }
        }
    }

    /**
     * out = a + b over the first n values (a residual connection); {@code out} may be {@code a} or {@code b}.
     *
     * @param a   the first addend
     * @param b   the second addend
     * @param out receives the sum
     * @param n   how many values
     */
    public static void add(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = a[i] + b[i];
        }
    }

    /**
     * x[b, l] += perRow[b] for every position l: one vector per row of the batch (a time or label embedding) added
     * at every position of [batch, length, width] activations.
     *
     * @param x      [batch, length, width], added into
     * @param perRow [batch, width]
     * @param batch  rows of the batch
     * @param length positions per row
     * @param width  the width
     */
    public static void addPerRow(float[] x, float[] perRow, int batch, int length, int width) {
        for (int b = 0; b < batch; b++) {
            for (int l = 0; l < length; l++) {
                int o = (b * length + l) * width;
                for (int c = 0; c < width; c++) {
                    x[o + c] += perRow[b * width + c];
                }
            }
        }
    }

    /**
     * perRow[b] = Σ_l dx[b, l], the gradient of {@link #addPerRow}'s vectors, positions added in order.
     *
     * @param dx     [batch, length, width]
     * @param perRow [batch, width], overwritten
     * @param batch  rows of the batch
     * @param length positions per row
     * @param width  the width
     */
    public static void sumPerRow(float[] dx, float[] perRow, int batch, int length, int width) {
        Arrays.fill(perRow, 0, batch * width, 0f);
        for (int b = 0; b < batch; b++) {
            for (int l = 0; l < length; l++) {
                int o = (b * length + l) * width;
                for (int c = 0; c < width; c++) {
                    perRow[b * width + c] += dx[o + c];
                }
            }
        }
    }
}
