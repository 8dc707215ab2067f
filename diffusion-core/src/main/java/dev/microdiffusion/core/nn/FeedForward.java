package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.spi.Gradients;

/**
 * The Transformer's position-wise feed-forward block without biases: out = GELU(x·W₁ᵀ)·W₂ᵀ, W₁ [hidden, d], W₂ [d,
 * hidden], GELU in its exact (erf) form ({@link MatrixKernel#gelu}).
 */
public final class FeedForward {

    private final MatrixKernel kernel;
    private final Linear fc1;
    private final Linear fc2;
    private final int hidden;

    /**
     * Registers {@code name.fc1.weight} [hidden, d] and {@code name.fc2.weight} [d, hidden].
     *
     * @param kernel     the kernel the products and GELU run on
     * @param parameters where the weights are registered
     * @param name       the layer's name, e.g. {@code blocks.0.mlp}
     * @param width      d
     * @param hidden     the inner width (4d in the reference)
     */
    public FeedForward(MatrixKernel kernel, ParameterList parameters, String name, int width, int hidden) {
        this.kernel = kernel;
        this.fc1 = Linear.of(kernel, parameters, name + ".fc1", width, hidden, false);
        this.fc2 = Linear.of(kernel, parameters, name + ".fc2", hidden, width, false);
        this.hidden = hidden;
    }

    /**
     * PyTorch's default for both weights, W₁ then W₂ (see {@link Linear#initialise}).
     *
     * @param init the initialisers
     */
    public void initialise(Init init) {
        fc1.initialise(init);
        fc2.initialise(init);
    }

    /** {@return the first projection} */
    public Linear fc1() {
        return fc1;
    }

    /** {@return the second projection} */
    public Linear fc2() {
        return fc2;
    }

    /** What one batch's forward keeps for its backward, and the backward's scratch. */
    public final class Activations {
        private final float[] up;
        private final float[] act;
        // made by the first backward: a pass that only samples never needs it
        private float[] dUp;

        private Activations(int maxRows) {
            up = new float[maxRows * hidden];
            act = new float[maxRows * hidden];
        }
    }

    /**
     * Buffers for up to {@code maxRows} rows (batch·L); one per pass and layer.
     *
     * @param maxRows the most rows
     * @return the buffers
     */
    public Activations newActivations(int maxRows) {
        return new Activations(maxRows);
    }

    /**
     * out = GELU(x·W₁ᵀ)·W₂ᵀ.
     *
     * @param x    [rows, d]
     * @param out  receives [rows, d]
     * @param a    this batch's buffers
     * @param rows rows
     */
    public void forward(float[] x, float[] out, Activations a, int rows) {
        fc1.forward(x, a.up, rows);
        kernel.gelu(a.up, a.act, rows * hidden);
        fc2.forward(a.act, out, rows);
    }

    /**
     * Adds the weights' gradients and writes dL/dx.
     *
     * @param dOut      [rows, d]
     * @param x         [rows, d]: the forward's input
     * @param dx        receives [rows, d] (overwritten)
     * @param a         the buffers the forward filled
     * @param gradients where the weights' gradients are added
     * @param rows      rows
     */
    public void backward(float[] dOut, float[] x, float[] dx, Activations a, Gradients gradients, int rows) {
        if (a.dUp == null) {
            a.dUp = new float[a.up.length];
        }
        fc2.backward(dOut, a.act, a.dUp, gradients, rows);
        kernel.geluBackward(a.up, a.dUp, a.dUp, rows * hidden);
        fc1.backward(a.dUp, x, dx, gradients, rows);
    }
}
