package dev.microdiffusion.transformer;

import dev.microdiffusion.core.math.MatrixKernel;

/**
 * Bidirectional multi-head self-attention over rows [B·L, 3d] of q | k | v (head h owns columns h·hd … (h+1)·hd − 1 of
 * each): for every row b and head h, P = softmax(q kᵀ / √hd) over all L positions (no causal mask; PAD positions are
 * attended like any other, as in the reference) and out = P v, written back as [B·L, d] with heads side by side.
 * The arithmetic is the kernel's ({@link MatrixKernel#attention}): a vector kernel runs a (row, head)'s small
 * products, softmax and gradients in one call, with no gathering of q, k, v into blocks.
 */
final class Attention {

    private final MatrixKernel kernel;
    private final int length;
    private final int heads;
    private final int headDim;

    Attention(MatrixKernel kernel, int length, int heads, int headDim) {
        this.kernel = kernel;
        this.length = length;
        this.heads = heads;
        this.headDim = headDim;
    }

    /** Writes the probabilities (kept for backward, laid out as {@link MatrixKernel#attention} says) and the output. */
    void forward(float[] qkv, float[] probabilities, float[] out, int batch) {
        kernel.attention(qkv, probabilities, out, batch, length, heads, headDim);
    }

    /** Writes dL/d(q | k | v) into {@code dQkv} (overwritten) from dL/dout. */
    void backward(float[] dOut, float[] qkv, float[] probabilities, float[] dQkv, int batch) {
        kernel.attentionBackward(dOut, qkv, probabilities, dQkv, batch, length, heads, headDim);
    }
}
