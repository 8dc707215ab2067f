package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.spi.Gradients;

/**
 * The gated feed-forward of LLaMA-style models (Shazeer, GLU variants), without biases: out = (SiLU(x·W_gateᵀ) ⊙
 * x·W_upᵀ)·W_downᵀ with SiLU(a) = a·σ(a). The gate and up projections are one product, W_gate_up [2·hidden, d] (the
 * gate's rows first); W_down [d, hidden].
 */
public final class SwiGlu {

    private final Linear gateUp;
    private final Linear down;
    private final int hidden;

    /**
     * Registers {@code name.gate_up.weight} [2·hidden, d] and {@code name.down.weight} [d, hidden].
     *
     * @param kernel     the kernel the products run on
     * @param parameters where the weights are registered
     * @param name       the layer's name, e.g. {@code blocks.0.mlp}
     * @param width      d
     * @param hidden     the inner width (commonly about 8d/3)
     */
    public SwiGlu(MatrixKernel kernel, ParameterList parameters, String name, int width, int hidden) {
        if (hidden < 1) {
            throw new IllegalArgumentException(name + ": the inner width must be ≥ 1, got " + hidden);
        }
        this.gateUp = Linear.of(kernel, parameters, name + ".gate_up", width, 2 * hidden, false);
        this.down = Linear.of(kernel, parameters, name + ".down", hidden, width, false);
        this.hidden = hidden;
    }

    /**
     * PyTorch's default for both weights (see {@link Linear#initialise}).
     *
     * @param init the initialisers
     */
    public void initialise(Init init) {
        gateUp.initialise(init);
        down.initialise(init);
    }

    /** {@return the gate and up projection} */
    public Linear gateUp() {
        return gateUp;
    }

    /** {@return the down projection} */
    public Linear down() {
        return down;
    }

    /** What one batch's forward keeps for its backward, and the backward's scratch. */
    public final class Activations {
        private final float[] gateUpOut;
        private final float[] act;
        // made by the first backward: a pass that only samples never needs them
        private float[] dGateUp;
        private float[] dHidden;

        private Activations(int maxRows) {
            gateUpOut = new float[maxRows * 2 * hidden];
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
     * out = (SiLU(x·W_gateᵀ) ⊙ x·W_upᵀ)·W_downᵀ.
     *
     * @param x    [rows, d]
     * @param out  receives [rows, d]
     * @param a    this batch's buffers
     * @param rows rows
     */
    public void forward(float[] x, float[] out, Activations a, int rows) {
        gateUp.forward(x, a.gateUpOut, rows);
        float[] gu = a.gateUpOut;
        float[] act = a.act;
        for (int r = 0; r < rows; r++) {
            int g = r * 2 * hidden;
            int o = r * hidden;
            for (int j = 0; j < hidden; j++) {
                float gate = gu[g + j];
                float sigmoid = (float) (1.0 / (1.0 + Math.exp(-gate)));
                act[o + j] = gate * sigmoid * gu[g + hidden + j];
            }
        }
        down.forward(act, out, rows);
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
        if (a.dGateUp == null) {
            a.dGateUp = new float[a.gateUpOut.length];
            a.dHidden = new float[a.act.length];
        }
        down.backward(dOut, a.act, a.dHidden, gradients, rows);
        float[] gu = a.gateUpOut;
        float[] dGu = a.dGateUp;
        float[] dHidden = a.dHidden;
        for (int r = 0; r < rows; r++) {
            int g = r * 2 * hidden;
            int o = r * hidden;
            for (int j = 0; j < hidden; j++) {
                float gate = gu[g + j];
                float up = gu[g + hidden + j];
                float sigmoid = (float) (1.0 / (1.0 + Math.exp(-gate)));
                float d = dHidden[o + j];
                // d/dgate of gate·σ(gate) = σ(gate)·(1 + gate·(1 − σ(gate)))
                dGu[g + j] = d * up * sigmoid * (1f + gate * (1f - sigmoid));
                dGu[g + hidden + j] = d * gate * sigmoid;
            }
        }
        gateUp.backward(dGu, x, dx, gradients, rows);
    }
}
