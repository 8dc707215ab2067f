package dev.microdiffusion.core.math;


/**
 * The fast kernel, on the Panama Vector API ({@code jdk.incubator.vector}); only loaded when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (see {@link dev.microdiffusion.core.math.MatrixKernels}). Its work is
 * split by concern: {@link VectorProducts} (the three matrix products, on {@link VectorTiles}' register tiles),
 * {@link VectorAttention} and {@link VectorElementwise}; shapes the lanes do not fit take {@link ScalarKernel}'s
 * plain form, which tests hold this kernel to.
 */
final class VectorMatrixKernel implements MatrixKernel {

    /** Made by {@link MatrixKernels#vector()}, by name. */
    public VectorMatrixKernel() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void multiply(float[] a, float[] b, float[] c, int m, int k, int n) {
        VectorProducts.multiply(a, b, c, m, k, n);
    }

    @Override
    public void multiplyTransposeAAdd(float[] a, float[] b, float[] c, int m, int k, int n) {
        VectorProducts.multiplyTransposeAAdd(a, b, c, m, k, n);
    }

    @Override
    public void multiplyTransposeB(float[] a, float[] b, float[] c, int m, int k, int n) {
        VectorProducts.multiplyTransposeB(a, b, c, m, k, n);
    }

    @Override
    public void rmsNorm(float[] x, float[] scale, float[] y, float[] r, int rows, int d, float epsilon) {
        VectorElementwise.rmsNorm(x, scale, y, r, rows, d, epsilon);
    }

    @Override
    public void rmsNormBackward(float[] dy, float[] x, float[] scale, float[] r, float[] dx, float[] dScale,
            int rows, int d) {
        VectorElementwise.rmsNormBackward(dy, x, scale, r, dx, dScale, rows, d);
    }

    @Override
    public void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int n) {
        VectorElementwise.axpy(a, x, xOffset, y, yOffset, n);
    }

    @Override
    public void gelu(float[] in, float[] out, int n) {
        VectorElementwise.gelu(in, out, n);
    }

    @Override
    public void geluBackward(float[] in, float[] dOut, float[] dIn, int n) {
        VectorElementwise.geluBackward(in, dOut, dIn, n);
    }

    @Override
    public double exp(float[] in, int inOffset, float shift, float scale, float[] out, int outOffset, int n) {
        return VectorElementwise.exp(in, inOffset, shift, scale, out, outOffset, n);
    }

    @Override
    public void expShifted(float[] in, float[] shift, float scale, float[] out, int outOffset, int n) {
        VectorElementwise.expShifted(in, shift, scale, out, outOffset, n);
    }

    @Override
    public void attention(float[] qkv, float[] probabilities, float[] out, int batch, int length, int heads,
            int headDim) {
        VectorAttention.attention(qkv, probabilities, out, batch, length, heads, headDim);
    }

    @Override
    public void attentionBackward(float[] dOut, float[] qkv, float[] probabilities, float[] dQkv, int batch,
            int length, int heads, int headDim) {
        VectorAttention.attentionBackward(dOut, qkv, probabilities, dQkv, batch, length, heads, headDim);
    }
}
