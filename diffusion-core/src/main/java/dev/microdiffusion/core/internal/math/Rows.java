package dev.microdiffusion.core.internal.math;

/** Small element-wise helpers on row-major [count × width] matrices, shared by denoisers. */
public final class Rows {

    private Rows() {
    }

    /** rows[r] += vector for every row (a bias). */
    public static void addVector(float[] rows, float[] vector, int count, int width) {
        for (int r = 0; r < count; r++) {
            int base = r * width;
            for (int j = 0; j < width; j++) {
                rows[base + j] += vector[j];
            }
        }
    }

    /** into += Σ_r rows[r] (a bias's gradient). */
    public static void sumInto(float[] rows, float[] into, int count, int width) {
        for (int r = 0; r < count; r++) {
            int base = r * width;
            for (int j = 0; j < width; j++) {
                into[j] += rows[base + j];
            }
        }
    }

    /** out = a + b over the first n values (a residual connection). */
    public static void add(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = a[i] + b[i];
        }
    }
}
