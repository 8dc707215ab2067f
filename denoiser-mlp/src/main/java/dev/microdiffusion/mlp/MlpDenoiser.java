package dev.microdiffusion.mlp;

import dev.microdiffusion.core.internal.math.Rows;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.spi.BatchInputs;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The reference's MLP denoisers. The input is one-hot(tokens) ‖ t, L·V + 1 values; then
 * <pre>
 *   h1 = ReLU(x·W1 + b1)
 *   h_i = ReLU(h_{i−1}·W_i + b_i) + h_{i−1}     for i = 2..depth (skip connections)
 *   logits = h_depth·W_out + b_out               reshaped to [L, V]
 * </pre>
 * depth 1 is the reference's 2-layer MLP, depth 2 its 3-layer MLP with skip. Weights are [in, out] as in the
 * reference (x·W). The one-hot product x·W1 is computed as a gather of W1's rows (one per position) plus t times its
 * last row, the same sum without the zeros; backward scatters into those rows.
 */
public final class MlpDenoiser implements Denoiser {

    /** How weights are drawn; biases start at zero. */
    public enum Init {
        /** N(0, 2/fan_in), the reference's 2-layer MLP. */
        HE,
        /** N(0, 2/(fan_in + fan_out)), the reference's 3-layer MLP. */
        XAVIER
    }

    private final String name;
    private final DenoiserConfig config;
    private final MatrixKernel kernel;
    private final int length;
    private final int vocab;
    private final int hidden;
    private final int depth;
    private final int inputs;
    private final int outputs;
    private final Parameter[] weights;
    private final Parameter[] biases;
    /** [labels + 1, hidden]: a row added to the first layer per label, the last for the null label; or null. */
    private final Parameter labelEmbedding;
    private final int labels;
    private final List<Parameter> parameters;

    /**
     * @param depth number of hidden layers (1 or more); layers after the first have skip connections
     */
    public MlpDenoiser(String name, DenoiserConfig config, int hidden, int depth, Init init, MatrixKernel kernel,
            UniformRandomProvider random) {
        if (hidden < 1 || depth < 1) {
            throw new IllegalArgumentException("hidden and depth must be positive, got " + hidden + ", " + depth);
        }
        this.name = name;
        this.config = config;
        this.kernel = kernel;
        this.length = config.maxLength();
        this.vocab = config.vocabSize();
        this.hidden = hidden;
        this.depth = depth;
        this.inputs = length * vocab + 1;
        this.outputs = length * vocab;
        this.weights = new Parameter[depth + 1];
        this.biases = new Parameter[depth + 1];
        List<Parameter> all = new ArrayList<>();
        for (int layer = 0; layer <= depth; layer++) {
            int in = layer == 0 ? inputs : hidden;
            int out = layer == depth ? outputs : hidden;
            weights[layer] = new Parameter("W" + (layer + 1), Parameter.Kind.WEIGHT, in, out);
            biases[layer] = new Parameter("b" + (layer + 1), Parameter.Kind.BIAS, out);
            all.add(weights[layer]);
            all.add(biases[layer]);
        }
        this.labels = config.labels();
        // a label is one more one-hot input: its rows of the first layer, kept apart so that unconditional models
        // and files stay as they were
        this.labelEmbedding = labels > 0 ? new Parameter("label_emb", Parameter.Kind.EMBEDDING, labels + 1, hidden)
                : null;
        if (labelEmbedding != null) {
            all.add(labelEmbedding);
        }
        this.parameters = List.copyOf(all);
        initialise(init, random);
    }

    private void initialise(Init init, UniformRandomProvider random) {
        ZigguratSampler.NormalizedGaussian gaussian = ZigguratSampler.NormalizedGaussian.of(random);
        for (Parameter w : weights) {
            int[] shape = w.shape();
            double variance = init == Init.HE ? 2.0 / shape[0] : 2.0 / (shape[0] + shape[1]);
            double std = Math.sqrt(variance);
            float[] values = w.values();
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (gaussian.sample() * std);
            }
        }
        if (labelEmbedding != null) {
            // drawn last, as the first layer's rows are drawn: the other weights are those of an unconditional model
            int[] first = weights[0].shape();
            double std = Math.sqrt(init == Init.HE ? 2.0 / first[0] : 2.0 / (first[0] + first[1]));
            float[] values = labelEmbedding.values();
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (gaussian.sample() * std);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DenoiserConfig config() {
        return config;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    public int hidden() {
        return hidden;
    }

    public int depth() {
        return depth;
    }

    @Override
    public Pass newPass(int maxBatch) {
        return new MlpPass(maxBatch);
    }

    /** Activations of one batch, kept for backward. */
    private final class MlpPass implements Pass {
        private final BatchInputs inputs;
        /** Pre-activations z_i and layer outputs h_i, [depth][maxBatch × hidden]. */
        private final float[][] z;
        private final float[][] h;
        private final float[] dH;
        private final float[] dZ;
        /** dZ·Wᵀ of a skip layer, the gradient reaching h_{i−1} through the layer. */
        private final float[] dThrough;

        MlpPass(int maxBatch) {
            this.inputs = new BatchInputs(maxBatch, length);
            this.z = new float[depth][maxBatch * hidden];
            this.h = new float[depth][maxBatch * hidden];
            this.dH = new float[maxBatch * hidden];
            this.dZ = new float[maxBatch * hidden];
            this.dThrough = depth > 1 ? new float[maxBatch * hidden] : null;
        }

        @Override
        public int maxBatch() {
            return inputs.maxBatch();
        }

        @Override
        public void forward(int[] tokens, float[] times, int batch, float[] logits) {
            forward(tokens, times, null, batch, logits);
        }

        @Override
        public void forward(int[] tokens, float[] times, int[] rowLabels, int batch, float[] logits) {
            inputs.capture(tokens, times, rowLabels, batch, labels);
            OneHotInput.gather(kernel, weights[0].values(), biases[0].values(), tokens, times, batch, length, vocab, hidden, z[0]);
            if (labelEmbedding != null) {
                int[] captured = inputs.labels();
                for (int b = 0; b < batch; b++) {
                    kernel.axpy(1f, labelEmbedding.values(), labelRow(captured[b]) * hidden, z[0], b * hidden, hidden);
                }
            }
            relu(z[0], h[0], batch * hidden);
            for (int layer = 1; layer < depth; layer++) {
                kernel.multiply(h[layer - 1], weights[layer].values(), z[layer], batch, hidden, hidden);
                Rows.addVector(z[layer], biases[layer].values(), batch, hidden);
                float[] zl = z[layer];
                float[] hl = h[layer];
                float[] prev = h[layer - 1];
                for (int i = 0, n = batch * hidden; i < n; i++) {
                    hl[i] = Math.max(zl[i], 0f) + prev[i];
                }
            }
            kernel.multiply(h[depth - 1], weights[depth].values(), logits, batch, hidden, outputs);
            Rows.addVector(logits, biases[depth].values(), batch, outputs);
        }

        @Override
        public void backward(float[] dLogits, Gradients gradients) {
            int batch = inputs.batch();
            int n = batch * hidden;
            kernel.multiplyTransposeAAdd(h[depth - 1], dLogits, gradients.of(weights[depth]), batch, hidden, outputs);
            Rows.sumInto(dLogits, gradients.of(biases[depth]), batch, outputs);
            kernel.multiplyTransposeB(dLogits, weights[depth].values(), dH, batch, outputs, hidden);

            for (int layer = depth - 1; layer >= 1; layer--) {
                // h = ReLU(z) + h_prev: dz = dh ⊙ [z > 0]; dh_prev = dh + dz·Wᵀ
                float[] zl = z[layer];
                for (int i = 0; i < n; i++) {
                    dZ[i] = zl[i] > 0f ? dH[i] : 0f;
                }
                kernel.multiplyTransposeAAdd(h[layer - 1], dZ, gradients.of(weights[layer]), batch, hidden, hidden);
                Rows.sumInto(dZ, gradients.of(biases[layer]), batch, hidden);
                kernel.multiplyTransposeB(dZ, weights[layer].values(), dThrough, batch, hidden, hidden);
                for (int i = 0; i < n; i++) {
                    dH[i] += dThrough[i];
                }
            }
            float[] z0 = z[0];
            for (int i = 0; i < n; i++) {
                dZ[i] = z0[i] > 0f ? dH[i] : 0f;
            }
            Rows.sumInto(dZ, gradients.of(biases[0]), batch, hidden);
            if (labelEmbedding != null) {
                float[] dLabel = gradients.of(labelEmbedding);
                int[] captured = inputs.labels();
                for (int b = 0; b < batch; b++) {
                    kernel.axpy(1f, dZ, b * hidden, dLabel, labelRow(captured[b]) * hidden, hidden);
                }
            }
            OneHotInput.scatter(kernel, gradients.of(weights[0]), dZ, inputs.tokens(), inputs.times(), batch, length, vocab, hidden);
        }
    }

    /** The embedding row of a label: its own, or the last (the null label) for −1. */
    private int labelRow(int label) {
        return label < 0 ? labels : label;
    }

    private static void relu(float[] in, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(in[i], 0f);
        }
    }

    @Override
    public String toString() {
        return name + "[L=" + length + ", V=" + vocab + ", hidden=" + hidden + ", depth=" + depth + ", parameters="
                + parameterCount() + ", weights=" + Arrays.toString(weights) + "]";
    }
}
