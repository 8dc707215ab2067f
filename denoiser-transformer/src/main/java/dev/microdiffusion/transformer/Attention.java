package dev.microdiffusion.transformer;

import dev.microdiffusion.core.math.MatrixKernel;
import java.util.Arrays;

/**
 * Bidirectional multi-head self-attention over rows [B·L, 3d] of q | k | v (head h owns columns h·hd … (h+1)·hd − 1 of
 * each): for every row b and head h, P = softmax(q kᵀ / √hd) over all L positions (no causal mask; PAD positions are
 * attended like any other, as in the reference) and out = P v, written back as [B·L, d] with heads side by side.
 *
 * <p>Each (row, head) gathers its q, k, v into contiguous [L, hd] blocks and runs the products through the matrix
 * kernel. An instance holds those blocks: one per pass, not thread-safe.
 */
final class Attention {

    private final MatrixKernel kernel;
    private final int length;
    private final int heads;
    private final int headDim;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] o;
    private final float[] scores;
    /** Each score row's max, repeated along the row (the softmax's shifts). */
    private final float[] shift;
    private final float[] dScores;
    private final float[] dq;
    private final float[] dk;
    private final float[] dv;

    Attention(MatrixKernel kernel, int length, int heads, int headDim) {
        this.kernel = kernel;
        this.length = length;
        this.heads = heads;
        this.headDim = headDim;
        int block = length * headDim;
        q = new float[block];
        k = new float[block];
        v = new float[block];
        o = new float[block];
        scores = new float[length * length];
        shift = new float[length * length];
        dScores = new float[length * length];
        dq = new float[block];
        dk = new float[block];
        dv = new float[block];
    }

    /** Copies head h of row b's q, k and v (or of their gradients) between the [B·L, 3d] layout and the blocks. */
    private void gather(float[] qkv, int b, int h, float[] qb, float[] kb, float[] vb) {
        int d = heads * headDim;
        for (int i = 0; i < length; i++) {
            int row = (b * length + i) * 3 * d + h * headDim;
            System.arraycopy(qkv, row, qb, i * headDim, headDim);
            System.arraycopy(qkv, row + d, kb, i * headDim, headDim);
            System.arraycopy(qkv, row + 2 * d, vb, i * headDim, headDim);
        }
    }

    /** Writes the probabilities P [B, H, L, L] (kept for backward) and the output [B·L, d]. */
    void forward(float[] qkv, float[] probabilities, float[] out, int batch) {
        int d = heads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                gather(qkv, b, h, q, k, v);
                kernel.multiplyTransposeB(q, k, scores, length, headDim, length);
                int pBase = (b * heads + h) * length * length;
                softmaxRows(scores, scale, probabilities, pBase);
                System.arraycopy(probabilities, pBase, scores, 0, length * length);
                kernel.multiply(scores, v, o, length, length, headDim);
                for (int i = 0; i < length; i++) {
                    System.arraycopy(o, i * headDim, out, (b * length + i) * d + h * headDim, headDim);
                }
            }
        }
    }

    /**
     * p[pOff ..] = softmax(s·scale) row by row over the L×L scores: every exponential in one kernel call (each row's
     * max repeated in {@link #shift}), then each row's sum in order and its scaling.
     */
    private void softmaxRows(float[] s, float scale, float[] p, int pOff) {
        for (int i = 0; i < length; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < length; j++) {
                max = Math.max(max, s[i * length + j]);
            }
            java.util.Arrays.fill(shift, i * length, (i + 1) * length, max);
        }
        kernel.expShifted(s, shift, scale, p, pOff, length * length);
        for (int i = 0; i < length; i++) {
            int row = pOff + i * length;
            double sum = 0;
            for (int j = 0; j < length; j++) {
                sum += p[row + j];
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < length; j++) {
                p[row + j] *= inv;
            }
        }
    }

    /**
     * Writes dL/d(q | k | v) into {@code dQkv} (overwritten) from dL/dout. With dP = dout vᵀ:
     * dv = Pᵀ dout, dS = P ⊙ (dP − rowsum(P ⊙ dP)) / √hd, dq = dS k, dk = dSᵀ q.
     */
    void backward(float[] dOut, float[] qkv, float[] probabilities, float[] dQkv, int batch) {
        int d = heads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                gather(qkv, b, h, q, k, v);
                for (int i = 0; i < length; i++) {
                    System.arraycopy(dOut, (b * length + i) * d + h * headDim, o, i * headDim, headDim);
                }
                int pBase = (b * heads + h) * length * length;
                System.arraycopy(probabilities, pBase, scores, 0, length * length);
                kernel.multiplyTransposeB(o, v, dScores, length, headDim, length);
                Arrays.fill(dv, 0f);
                kernel.multiplyTransposeAAdd(scores, o, dv, length, length, headDim);
                for (int i = 0; i < length; i++) {
                    int r = i * length;
                    float dot = 0f;
                    for (int j = 0; j < length; j++) {
                        dot += scores[r + j] * dScores[r + j];
                    }
                    for (int j = 0; j < length; j++) {
                        dScores[r + j] = scores[r + j] * (dScores[r + j] - dot) * scale;
                    }
                }
                kernel.multiply(dScores, k, dq, length, length, headDim);
                Arrays.fill(dk, 0f);
                kernel.multiplyTransposeAAdd(dScores, q, dk, length, length, headDim);
                for (int i = 0; i < length; i++) {
                    int row = (b * length + i) * 3 * d + h * headDim;
                    System.arraycopy(dq, i * headDim, dQkv, row, headDim);
                    System.arraycopy(dk, i * headDim, dQkv, row + d, headDim);
                    System.arraycopy(dv, i * headDim, dQkv, row + 2 * d, headDim);
                }
            }
        }
    }
}
