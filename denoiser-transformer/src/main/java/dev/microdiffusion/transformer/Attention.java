package dev.microdiffusion.transformer;

import java.util.Arrays;

/**
 * Bidirectional multi-head self-attention over rows [B·L, 3d] of q | k | v (head h owns columns h·hd … (h+1)·hd − 1 of
 * each): for every row b and head h, P = softmax(q kᵀ / √hd) over all L positions (no causal mask; PAD positions are
 * attended like any other, as in the reference) and out = P v, written back as [B·L, d] with heads side by side.
 */
final class Attention {

    private Attention() {
    }

    /** Writes the probabilities P [B, H, L, L] (kept for backward) and the output [B·L, d]. */
    static void forward(float[] qkv, float[] probabilities, float[] out, int batch, int length, int heads, int headDim) {
        int d = heads * headDim;
        int stride = 3 * d;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int qOff = h * headDim;
                int kOff = d + h * headDim;
                int vOff = 2 * d + h * headDim;
                int pBase = (b * heads + h) * length * length;
                for (int i = 0; i < length; i++) {
                    int qRow = (b * length + i) * stride + qOff;
                    int p = pBase + i * length;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < length; j++) {
                        int kRow = (b * length + j) * stride + kOff;
                        float s = 0f;
                        for (int c = 0; c < headDim; c++) {
                            s += qkv[qRow + c] * qkv[kRow + c];
                        }
                        s *= scale;
                        probabilities[p + j] = s;
                        max = Math.max(max, s);
                    }
                    float sum = 0f;
                    for (int j = 0; j < length; j++) {
                        float e = (float) Math.exp(probabilities[p + j] - max);
                        probabilities[p + j] = e;
                        sum += e;
                    }
                    float inv = 1f / sum;
                    int oRow = (b * length + i) * d + h * headDim;
                    for (int c = 0; c < headDim; c++) {
                        out[oRow + c] = 0f;
                    }
                    for (int j = 0; j < length; j++) {
                        float pj = probabilities[p + j] * inv;
                        probabilities[p + j] = pj;
                        int vRow = (b * length + j) * stride + vOff;
                        for (int c = 0; c < headDim; c++) {
                            out[oRow + c] += pj * qkv[vRow + c];
                        }
                    }
                }
            }
        }
    }

    /**
     * Writes dL/d(q | k | v) into {@code dQkv} (overwritten) from dL/dout. With dP = dout vᵀ:
     * dv = Pᵀ dout, dS = P ⊙ (dP − rowsum(P ⊙ dP)), dq = dS k / √hd, dk = dSᵀ q / √hd.
     *
     * @param dScores scratch of at least L·L floats
     */
    static void backward(float[] dOut, float[] qkv, float[] probabilities, float[] dQkv, float[] dScores, int batch,
            int length, int heads, int headDim) {
        int d = heads * headDim;
        int stride = 3 * d;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        Arrays.fill(dQkv, 0, batch * length * stride, 0f);
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int qOff = h * headDim;
                int kOff = d + h * headDim;
                int vOff = 2 * d + h * headDim;
                int pBase = (b * heads + h) * length * length;
                for (int i = 0; i < length; i++) {
                    int oRow = (b * length + i) * d + h * headDim;
                    int p = pBase + i * length;
                    float dot = 0f;
                    for (int j = 0; j < length; j++) {
                        int vRow = (b * length + j) * stride + vOff;
                        float dp = 0f;
                        for (int c = 0; c < headDim; c++) {
                            dp += dOut[oRow + c] * qkv[vRow + c];
                            dQkv[vRow + c] += probabilities[p + j] * dOut[oRow + c];
                        }
                        dScores[i * length + j] = dp;
                        dot += probabilities[p + j] * dp;
                    }
                    for (int j = 0; j < length; j++) {
                        dScores[i * length + j] = probabilities[p + j] * (dScores[i * length + j] - dot) * scale;
                    }
                }
                for (int i = 0; i < length; i++) {
                    int qRow = (b * length + i) * stride + qOff;
                    for (int j = 0; j < length; j++) {
                        int kRow = (b * length + j) * stride + kOff;
                        float ds = dScores[i * length + j];
                        for (int c = 0; c < headDim; c++) {
                            dQkv[qRow + c] += ds * qkv[kRow + c];
                            dQkv[kRow + c] += ds * qkv[qRow + c];
                        }
                    }
                }
            }
        }
    }
}
