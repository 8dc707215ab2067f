package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;

/**
 * The reference Transformer's embedding of the diffusion time t, one vector per row: Linear(1→d) → GELU →
 * Linear(d→d), with biases ({@code name.0.*} and {@code name.2.*}, PyTorch's {@code nn.Sequential} numbering).
 */
public final class TimeEmbedding {

    private final MatrixKernel kernel;
    private final Parameter inWeight;
    private final Parameter inBias;
    private final Linear out;
    private final int width;

    /**
     * Registers {@code name.0.weight} [d, 1], {@code name.0.bias} [d], {@code name.2.weight} [d, d] and {@code
     * name.2.bias} [d].
     *
     * @param kernel     the kernel the products and GELU run on
     * @param parameters where the parameters are registered
     * @param name       the layer's name, e.g. {@code time_mlp}
     * @param width      d
     */
    public TimeEmbedding(MatrixKernel kernel, ParameterList parameters, String name, int width) {
        this.kernel = kernel;
        this.inWeight = parameters.add(name + ".0.weight", Parameter.Kind.WEIGHT, width, 1);
        this.inBias = parameters.add(name + ".0.bias", Parameter.Kind.BIAS, width);
        this.out = Linear.of(kernel, parameters, name + ".2", width, width, true);
        this.width = width;
    }

    /**
     * PyTorch's default for both linear layers, in registration order: U(±1/√fan_in) with fan_in 1, then d.
     *
     * @param init the initialisers
     */
    public void initialise(Init init) {
        init.uniform(inWeight, 1.0);
        init.uniform(inBias, 1.0);
        out.initialise(init);
    }

    /** What one batch's forward keeps for its backward, and the backward's scratch. */
    public final class Activations {
        private final float[] up;
        private final float[] act;
        private final float[] dAct;

        private Activations(int maxBatch) {
            up = new float[maxBatch * width];
            act = new float[maxBatch * width];
            dAct = new float[maxBatch * width];
        }
    }

    /**
     * Buffers for batches of up to {@code maxBatch} rows; one per pass.
     *
     * @param maxBatch the most rows of a batch
     * @return the buffers
     */
    public Activations newActivations(int maxBatch) {
        return new Activations(maxBatch);
    }

    /**
     * The embedding of each row's time.
     *
     * @param times     one t per row
     * @param embedding receives [batch, d]
     * @param a         this batch's buffers
     * @param batch     rows
     */
    public void forward(float[] times, float[] embedding, Activations a, int batch) {
        float[] w0 = inWeight.values();
        float[] b0 = inBias.values();
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < width; o++) {
                a.up[b * width + o] = times[b] * w0[o] + b0[o];
            }
        }
        kernel.gelu(a.up, a.act, batch * width);
        out.forward(a.act, embedding, batch);
    }

    /**
     * Adds every parameter's gradient (t itself takes none).
     *
     * @param dEmbedding [batch, d]: dL/d(embedding)
     * @param times      the forward's times
     * @param a          the buffers the forward filled
     * @param gradients  where the gradients are added
     * @param batch      rows
     */
    public void backward(float[] dEmbedding, float[] times, Activations a, Gradients gradients, int batch) {
        out.backward(dEmbedding, a.act, a.dAct, gradients, batch);
        kernel.geluBackward(a.up, a.dAct, a.dAct, batch * width);
        float[] dW0 = gradients.of(inWeight);
        float[] dB0 = gradients.of(inBias);
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < width; o++) {
                dW0[o] += a.dAct[b * width + o] * times[b];
                dB0[o] += a.dAct[b * width + o];
            }
        }
    }
}
