package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.spi.Gradients;

/**
 * Bidirectional multi-head self-attention without biases, the reference's: qkv = x·W_qkvᵀ ([rows, 3d], head h owning
 * columns h·hd … (h+1)·hd − 1 of q, k and v), for every row of the batch and head P = softmax(q kᵀ/√hd) over all L
 * positions (no mask: a denoiser sees the whole row, PAD included), out = (P v)·W_projᵀ. The attention itself is the
 * kernel's ({@link MatrixKernel#attention}). With {@link #withRotary rotary positions}, q and k are turned by their
 * positions' angles before the scores.
 */
public final class SelfAttention {

    private final MatrixKernel kernel;
    private final Linear qkv;
    private final Linear proj;
    private final int length;
    private final int width;
    private final int heads;
    private Rotary rotary;

    /**
     * Registers {@code name.qkv.weight} [3d, d] and {@code name.proj.weight} [d, d].
     *
     * @param kernel     the kernel the products and the attention run on
     * @param parameters where the weights are registered
     * @param name       the layer's name, e.g. {@code blocks.0.attn}
     * @param length     L, the positions of a row
     * @param width      d
     * @param heads      heads, dividing d
     */
    public SelfAttention(MatrixKernel kernel, ParameterList parameters, String name, int length, int width,
            int heads) {
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException(name + ": heads must divide the width, got " + heads + " for " + width);
        }
        this.kernel = kernel;
        this.qkv = Linear.of(kernel, parameters, name + ".qkv", width, 3 * width, false);
        this.proj = Linear.of(kernel, parameters, name + ".proj", width, width, false);
        this.length = length;
        this.width = width;
        this.heads = heads;
    }

    /**
     * Turns q and k by rotary positions before the scores (set once, before any pass).
     *
     * @param positions the rotary table, for this layer's row length and head size
     * @return this layer
     * @throws IllegalArgumentException if the table does not fit the rows and heads
     * @throws IllegalStateException    if rotary positions were set already
     */
    public SelfAttention withRotary(Rotary positions) {
        if (rotary != null) {
            throw new IllegalStateException("rotary positions are set already");
        }
        if (positions.length() != length || positions.headDim() != width / heads) {
            throw new IllegalArgumentException("a rotary table for rows of " + positions.length() + " and heads of "
                    + positions.headDim() + " does not fit rows of " + length + " and heads of " + width / heads);
        }
        rotary = positions;
        return this;
    }

    /** {@return the projection to q | k | v} */
    public Linear qkv() {
        return qkv;
    }

    /** {@return the output projection} */
    public Linear proj() {
        return proj;
    }

    /**
     * PyTorch's default for both weights, W_qkv then W_proj (see {@link Linear#initialise}).
     *
     * @param init the initialisers
     */
    public void initialise(Init init) {
        qkv.initialise(init);
        proj.initialise(init);
    }

    /** What one batch's forward keeps for its backward, and the backward's scratch. */
    public final class Activations {
        private final float[] qkvOut;
        private final float[] probabilities;
        private final float[] attended;
        private final int maxRows;
        // made by the first backward: a pass that only samples never needs them
        private float[] dQkv;
        private float[] dAttended;

        private Activations(int maxBatch) {
            maxRows = maxBatch * length;
            qkvOut = new float[maxRows * 3 * width];
            probabilities = new float[maxBatch * heads * length * length];
            attended = new float[maxRows * width];
        }
    }

    /**
     * Buffers for batches of up to {@code maxBatch} rows; one per pass and layer.
     *
     * @param maxBatch the most rows of a batch
     * @return the buffers
     */
    public Activations newActivations(int maxBatch) {
        return new Activations(maxBatch);
    }

    /**
     * out = attention(x).
     *
     * @param x     [batch·L, d]
     * @param out   receives [batch·L, d]
     * @param a     this batch's buffers
     * @param batch rows of the batch
     */
    public void forward(float[] x, float[] out, Activations a, int batch) {
        int rows = batch * length;
        qkv.forward(x, a.qkvOut, rows);
        if (rotary != null) {
            rotary.rotate(a.qkvOut, rows, width);
        }
        kernel.attention(a.qkvOut, a.probabilities, a.attended, batch, length, heads, width / heads);
        proj.forward(a.attended, out, rows);
    }

    /**
     * Adds the weights' gradients and writes dL/dx.
     *
     * @param dOut      [batch·L, d]
     * @param x         [batch·L, d]: the forward's input
     * @param dx        receives [batch·L, d] (overwritten)
     * @param a         the buffers the forward filled
     * @param gradients where the weights' gradients are added
     * @param batch     rows of the batch
     */
    public void backward(float[] dOut, float[] x, float[] dx, Activations a, Gradients gradients, int batch) {
        int rows = batch * length;
        if (a.dQkv == null) {
            a.dQkv = new float[a.maxRows * 3 * width];
            a.dAttended = new float[a.maxRows * width];
        }
        proj.backward(dOut, a.attended, a.dAttended, gradients, rows);
        kernel.attentionBackward(a.dAttended, a.qkvOut, a.probabilities, a.dQkv, batch, length, heads, width / heads);
        if (rotary != null) {
            rotary.rotateBack(a.dQkv, rows, width);
        }
        qkv.backward(a.dQkv, x, dx, gradients, rows);
    }
}
