package dev.microdiffusion.core.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector kernel's attention, forward and backward, for shapes its lanes fit; others take {@link ScalarKernel}'s
 * (see {@link VectorMatrixKernel}).
 */
final class VectorAttention {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int W = SPECIES.length();
    /** Row offsets of one column, for the gathers that transpose a block. */
    private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> new int[W]);

    private VectorAttention() {
    }

    /** Per-thread attention scratch: one row's transposed block [d × L] and its heads' score blocks [heads × L × L]. */
    private static final ThreadLocal<float[][]> ATTENTION = ThreadLocal.withInitial(() -> new float[2][0]);

    private static float[][] attentionScratch(int length, int heads, int headDim) {
        float[][] s = ATTENTION.get();
        if (s[0].length < length * heads * headDim || s[1].length < heads * length * length) {
            s[0] = new float[length * heads * headDim];
            s[1] = new float[heads * length * length];
        }
        return s;
    }

    private static boolean attentionFits(int length, int headDim) {
        return length % W == 0 && headDim % W == 0 && length % 8 == 0;
    }

    /**
     * Per (row, head): Sᵀ = K Qᵀ (keys down, queries across the lanes), so the softmax over keys is lane-wise — max,
     * exp, sum in key order and scaling without a horizontal reduction — and P v, Pᵀ dout and friends read P's entries
     * as broadcasts. Only Qᵀ is transposed; the products run straight on the strided qkv rows.
     *
     * <p>Each row's work runs in phases over all its heads (transpose, then scores and softmax, then P v): a value
     * written by scalar stores and read back at once as a vector (or the reverse) cannot be forwarded from the store
     * buffer and stalls until the stores retire; by the next phase they have.
     */
    static void attention(float[] qkv, float[] probabilities, float[] out, int batch, int length, int heads,
            int headDim) {
        if (!attentionFits(length, headDim)) {
            ScalarKernel.attention(qkv, probabilities, out, batch, length, heads, headDim);
            return;
        }
        ScalarKernel.checkAttention(qkv, probabilities, out, "out", batch, length, heads, headDim);
        int d = heads * headDim;
        int stride = 3 * d;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[] qt = attentionScratch(length, heads, headDim)[0];
        for (int b = 0; b < batch; b++) {
            int row = b * length * stride;
            transposeBlock(qkv, row, stride, length, d, qt);
            for (int h = 0; h < heads; h++) {
                int p = (b * heads + h) * length * length;
                // Sᵀ[j, i] = Σ_c K[j, c]·Qᵀ[c, i]
                productRows(qkv, row + d + h * headDim, stride, 1, qt, h * headDim * length, length, headDim,
                        probabilities, p, length, length, length);
                softmaxOverKeys(probabilities, p, length, scale);
            }
            for (int h = 0; h < heads; h++) {
                // out[i, c] = Σ_j Pᵀ[j, i]·V[j, c]
                productRows(probabilities, (b * heads + h) * length * length, 1, length, qkv,
                        row + 2 * d + h * headDim, stride, length, out, b * length * d + h * headDim, d, headDim,
                        length);
            }
        }
    }

    static void attentionBackward(float[] dOut, float[] qkv, float[] probabilities, float[] dQkv, int batch,
            int length, int heads, int headDim) {
        if (!attentionFits(length, headDim)) {
            ScalarKernel.attentionBackward(dOut, qkv, probabilities, dQkv, batch, length, heads, headDim);
            return;
        }
        ScalarKernel.checkAttention(qkv, probabilities, dOut, "dOut", batch, length, heads, headDim);
        ScalarKernel.checkAttention(dQkv, probabilities, dOut, "dOut", batch, length, heads, headDim);
        int d = heads * headDim;
        int stride = 3 * d;
        int block = length * length;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[][] scratch = attentionScratch(length, heads, headDim);
        float[] dOutT = scratch[0];
        float[] dScores = scratch[1];
        for (int b = 0; b < batch; b++) {
            int row = b * length * stride;
            int o = b * length * d;
            transposeBlock(dOut, o, d, length, d, dOutT);
            for (int h = 0; h < heads; h++) {
                int v = row + 2 * d + h * headDim;
                int p = (b * heads + h) * block;
                // dPᵀ[j, i] = Σ_c V[j, c]·doutᵀ[c, i]
                productRows(qkv, v, stride, 1, dOutT, h * headDim * length, length, headDim, dScores, h * block,
                        length, length, length);
                // dV[j, c] = Σ_i Pᵀ[j, i]·dout[i, c]
                productRows(probabilities, p, length, 1, dOut, o + h * headDim, d, length, dQkv, v, stride, headDim,
                        length);
                scoreGradients(probabilities, p, dScores, h * block, length, scale);
            }
            for (int h = 0; h < heads; h++) {
                int q = row + h * headDim;
                int k = q + d;
                // dQ[i, c] = Σ_j dSᵀ[j, i]·K[j, c];  dK[j, c] = Σ_i dSᵀ[j, i]·Q[i, c]
                productRows(dScores, h * block, 1, length, qkv, k, stride, length, dQkv, q, stride, headDim, length);
                productRows(dScores, h * block, length, 1, qkv, q, stride, length, dQkv, k, stride, headDim, length);
            }
        }
    }

    /** t[c·rows + r] = x[off + r·stride + c] for r &lt; rows, c &lt; cols; rows a multiple of W. */
    private static void transposeBlock(float[] x, int off, int stride, int rows, int cols, float[] t) {
        // one gather per W rows of a column (rows is a multiple of W here): a scalar copy cost as much as the scores
        int[] index = GATHER.get();
        for (int i = 0; i < W; i++) {
            index[i] = i * stride;
        }
        for (int r = 0; r < rows; r += W) {
            int from = off + r * stride;
            for (int c = 0; c < cols; c++) {
                FloatVector.fromArray(SPECIES, x, from + c, index, 0).intoArray(t, c * rows + r);
            }
        }
    }

    /**
     * out[outOff + r·outStride + j] = Σ_q x[xOff + r·xRowStride + q·xStride]·b[bOff + q·bStride + j] for r &lt; rows,
     * j &lt; n (rows a multiple of 8, n of W): eight rows at a time, one fused chain per element in increasing q.
     */
    private static void productRows(float[] x, int xOff, int xRowStride, int xStride, float[] b, int bOff,
            int bStride, int inner, float[] out, int outOff, int outStride, int n, int rows) {
        for (int r = 0; r < rows; r += 8) {
            int x0 = xOff + r * xRowStride;
            for (int j = 0; j < n; j += W) {
                eightRows(x, x0, xRowStride, xStride, b, bOff + j, bStride, inner, out, outOff + r * outStride + j,
                        outStride);
            }
        }
    }

    private static void eightRows(float[] x, int x0, int xRowStride, int xStride, float[] b, int bOff, int bStride,
            int inner, float[] out, int outOff, int outStride) {
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = FloatVector.zero(SPECIES);
        FloatVector c2 = FloatVector.zero(SPECIES);
        FloatVector c3 = FloatVector.zero(SPECIES);
        FloatVector c4 = FloatVector.zero(SPECIES);
        FloatVector c5 = FloatVector.zero(SPECIES);
        FloatVector c6 = FloatVector.zero(SPECIES);
        FloatVector c7 = FloatVector.zero(SPECIES);
        for (int q = 0; q < inner; q++) {
            FloatVector bq = FloatVector.fromArray(SPECIES, b, bOff + q * bStride);
            int xq = x0 + q * xStride;
            c0 = FloatVector.broadcast(SPECIES, x[xq]).fma(bq, c0);
            c1 = FloatVector.broadcast(SPECIES, x[xq + xRowStride]).fma(bq, c1);
            c2 = FloatVector.broadcast(SPECIES, x[xq + 2 * xRowStride]).fma(bq, c2);
            c3 = FloatVector.broadcast(SPECIES, x[xq + 3 * xRowStride]).fma(bq, c3);
            c4 = FloatVector.broadcast(SPECIES, x[xq + 4 * xRowStride]).fma(bq, c4);
            c5 = FloatVector.broadcast(SPECIES, x[xq + 5 * xRowStride]).fma(bq, c5);
            c6 = FloatVector.broadcast(SPECIES, x[xq + 6 * xRowStride]).fma(bq, c6);
            c7 = FloatVector.broadcast(SPECIES, x[xq + 7 * xRowStride]).fma(bq, c7);
        }
        c0.intoArray(out, outOff);
        c1.intoArray(out, outOff + outStride);
        c2.intoArray(out, outOff + 2 * outStride);
        c3.intoArray(out, outOff + 3 * outStride);
        c4.intoArray(out, outOff + 4 * outStride);
        c5.intoArray(out, outOff + 5 * outStride);
        c6.intoArray(out, outOff + 6 * outStride);
        c7.intoArray(out, outOff + 7 * outStride);
    }

    /**
     * In place on Sᵀ [L × L] at {@code off}: each column (a query) becomes softmax(column·scale).
     */
    private static void softmaxOverKeys(float[] s, int off, int length, float scale) {
        for (int i = 0; i < length; i += W) {
            FloatVector max = FloatVector.fromArray(SPECIES, s, off + i);
            for (int j = 1; j < length; j++) {
                max = max.max(FloatVector.fromArray(SPECIES, s, off + j * length + i));
            }
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int j = 0; j < length; j++) {
                int at = off + j * length + i;
                FloatVector e = VectorElementwise.exp(FloatVector.fromArray(SPECIES, s, at).sub(max).mul(scale));
                e.intoArray(s, at);
                sum = sum.add(e);
            }
            FloatVector inv = FloatVector.broadcast(SPECIES, 1f).div(sum);
            for (int j = 0; j < length; j++) {
                int at = off + j * length + i;
                FloatVector.fromArray(SPECIES, s, at).mul(inv).intoArray(s, at);
            }
        }
    }

    /**
     * In place on dPᵀ [L × L]: dSᵀ = Pᵀ ⊙ (dPᵀ − Σ_j Pᵀ ⊙ dPᵀ)·scale, the sum over keys j lane-wise in key order.
     */
    private static void scoreGradients(float[] probabilities, int p, float[] dScores, int off, int length,
            float scale) {
        for (int i = 0; i < length; i += W) {
            FloatVector dot = FloatVector.zero(SPECIES);
            for (int j = 0; j < length; j++) {
                dot = FloatVector.fromArray(SPECIES, probabilities, p + j * length + i)
                        .mul(FloatVector.fromArray(SPECIES, dScores, off + j * length + i)).add(dot);
            }
            for (int j = 0; j < length; j++) {
                int at = off + j * length + i;
                FloatVector.fromArray(SPECIES, probabilities, p + j * length + i)
                        .mul(FloatVector.fromArray(SPECIES, dScores, at).sub(dot)).mul(scale).intoArray(dScores, at);
            }
        }
    }
}
