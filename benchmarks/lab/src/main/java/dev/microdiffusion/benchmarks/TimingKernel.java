package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.math.MatrixKernel;
import java.util.Map;
import java.util.TreeMap;

/**
 * A kernel that does what another does and adds up the wall time of each call, by what it computes: products by
 * shape ({@code multiply 1024×64×192}), attention, norms, GELU, exponentials. One thread only; the clock's cost
 * (~25 ns a call, a few dozen calls a layer) is small beside calls of microseconds.
 */
final class TimingKernel implements MatrixKernel {

    private final MatrixKernel inner;
    private final Map<String, long[]> nanos = new TreeMap<>();

    TimingKernel(MatrixKernel inner) {
        this.inner = inner;
    }

    /** {@return nanoseconds by operation since the last reset (a copy)} */
    Map<String, Long> nanos() {
        Map<String, Long> copy = new TreeMap<>();
        nanos.forEach((k, v) -> copy.put(k, v[0]));
        return copy;
    }

    void reset() {
        nanos.clear();
    }

    private void add(String what, long start) {
        nanos.computeIfAbsent(what, k -> new long[1])[0] += System.nanoTime() - start;
    }

    private static String shape(String op, int m, int k, int n) {
        return op + " " + m + "×" + k + "×" + n;
    }

    @Override
    public String name() {
        return "timing " + inner.name();
    }

    @Override
    public void multiply(float[] a, float[] b, float[] c, int m, int k, int n) {
        long start = System.nanoTime();
        inner.multiply(a, b, c, m, k, n);
        add(shape("product A·B", m, k, n), start);
    }

    @Override
    public void multiplyTransposeAAdd(float[] a, float[] b, float[] c, int m, int k, int n) {
        long start = System.nanoTime();
        inner.multiplyTransposeAAdd(a, b, c, m, k, n);
        add(shape("product Aᵀ·B (+=)", m, k, n), start);
    }

    @Override
    public void multiplyTransposeB(float[] a, float[] b, float[] c, int m, int k, int n) {
        long start = System.nanoTime();
        inner.multiplyTransposeB(a, b, c, m, k, n);
        add(shape("product A·Bᵀ", m, k, n), start);
    }

    @Override
    public void gelu(float[] in, float[] out, int n) {
        long start = System.nanoTime();
        inner.gelu(in, out, n);
        add("GELU", start);
    }

    @Override
    public void geluBackward(float[] in, float[] dOut, float[] dIn, int n) {
        long start = System.nanoTime();
        inner.geluBackward(in, dOut, dIn, n);
        add("GELU backward", start);
    }

    @Override
    public void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int n) {
        long start = System.nanoTime();
        inner.axpy(a, x, xOffset, y, yOffset, n);
        add("axpy (embedding rows)", start);
    }

    @Override
    public void expShifted(float[] in, float[] shift, float scale, float[] out, int outOffset, int n) {
        long start = System.nanoTime();
        inner.expShifted(in, shift, scale, out, outOffset, n);
        add("exp (loss softmax)", start);
    }

    @Override
    public double exp(float[] in, int inOffset, float shift, float scale, float[] out, int outOffset, int n) {
        long start = System.nanoTime();
        double sum = inner.exp(in, inOffset, shift, scale, out, outOffset, n);
        add("exp (loss softmax)", start);
        return sum;
    }

    @Override
    public void rmsNorm(float[] x, float[] scale, float[] y, float[] r, int rows, int d, float epsilon) {
        long start = System.nanoTime();
        inner.rmsNorm(x, scale, y, r, rows, d, epsilon);
        add("RMSNorm", start);
    }

    @Override
    public void rmsNormBackward(float[] dy, float[] x, float[] scale, float[] r, float[] dx, float[] dScale, int rows,
            int d) {
        long start = System.nanoTime();
        inner.rmsNormBackward(dy, x, scale, r, dx, dScale, rows, d);
        add("RMSNorm backward", start);
    }

    @Override
    public void attention(float[] qkv, float[] probabilities, float[] out, int batch, int length, int heads,
            int headDim) {
        long start = System.nanoTime();
        inner.attention(qkv, probabilities, out, batch, length, heads, headDim);
        add("attention (scores, softmax, P·V)", start);
    }

    @Override
    public void attentionBackward(float[] dOut, float[] qkv, float[] probabilities, float[] dQkv, int batch,
            int length, int heads, int headDim) {
        long start = System.nanoTime();
        inner.attentionBackward(dOut, qkv, probabilities, dQkv, batch, length, heads, headDim);
        add("attention backward", start);
    }
}
