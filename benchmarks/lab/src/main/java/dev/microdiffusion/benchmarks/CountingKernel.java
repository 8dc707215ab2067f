package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.math.MatrixKernel;

/**
 * A kernel that does what another does and counts the floating-point operations of its products: 2·m·k·n per matrix
 * product, and the attention's small products (Q·Kᵀ and P·V forward, four of the same size backward). Element-wise work
 * (GELU, exponentials, norms) is not counted: a step's count is the work an FMA ceiling bounds.
 */
final class CountingKernel implements MatrixKernel {

    private final MatrixKernel inner;
    private double flops;

    CountingKernel(MatrixKernel inner) {
        this.inner = inner;
    }

    /** The product FLOPs counted since the last reset. */
    double flops() {
        return flops;
    }

    void reset() {
        flops = 0;
    }

    @Override
    public String name() {
        return "counting " + inner.name();
    }

    @Override
    public void multiply(float[] a, float[] b, float[] c, int m, int k, int n) {
        flops += 2.0 * m * k * n;
        inner.multiply(a, b, c, m, k, n);
    }

    @Override
    public void multiplyTransposeAAdd(float[] a, float[] b, float[] c, int m, int k, int n) {
        flops += 2.0 * m * k * n;
        inner.multiplyTransposeAAdd(a, b, c, m, k, n);
    }

    @Override
    public void multiplyTransposeB(float[] a, float[] b, float[] c, int m, int k, int n) {
        flops += 2.0 * m * k * n;
        inner.multiplyTransposeB(a, b, c, m, k, n);
    }

    @Override
    public void gelu(float[] in, float[] out, int n) {
        inner.gelu(in, out, n);
    }

    @Override
    public void geluBackward(float[] in, float[] dOut, float[] dIn, int n) {
        inner.geluBackward(in, dOut, dIn, n);
    }

    @Override
    public void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int n) {
        inner.axpy(a, x, xOffset, y, yOffset, n);
    }

    @Override
    public void expShifted(float[] in, float[] shift, float scale, float[] out, int outOffset, int n) {
        inner.expShifted(in, shift, scale, out, outOffset, n);
    }

    @Override
    public void rmsNorm(float[] x, float[] scale, float[] y, float[] r, int rows, int d, float epsilon) {
        inner.rmsNorm(x, scale, y, r, rows, d, epsilon);
    }

    @Override
    public void rmsNormBackward(float[] dy, float[] x, float[] scale, float[] r, float[] dx, float[] dScale, int rows,
            int d) {
        inner.rmsNormBackward(dy, x, scale, r, dx, dScale, rows, d);
    }

    @Override
    public void attention(float[] qkv, float[] probabilities, float[] out, int batch, int length, int heads,
            int headDim) {
        flops += 2 * 2.0 * batch * heads * length * length * headDim;
        inner.attention(qkv, probabilities, out, batch, length, heads, headDim);
    }

    @Override
    public void attentionBackward(float[] dOut, float[] qkv, float[] probabilities, float[] dQkv, int batch,
            int length, int heads, int headDim) {
        flops += 4 * 2.0 * batch * heads * length * length * headDim;
        inner.attentionBackward(dOut, qkv, probabilities, dQkv, batch, length, heads, headDim);
    }

    @Override
    public double exp(float[] in, int inOffset, float shift, float scale, float[] out, int outOffset, int n) {
        return inner.exp(in, inOffset, shift, scale, out, outOffset, n);
    }
}
