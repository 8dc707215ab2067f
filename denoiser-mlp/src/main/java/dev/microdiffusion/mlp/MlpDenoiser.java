package dev.microdiffusion.mlp;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.nn.BatchInputs;
import dev.microdiffusion.core.nn.Embedding;
import dev.microdiffusion.core.nn.Init;
import dev.microdiffusion.core.nn.Linear;
import dev.microdiffusion.core.nn.OneHotLinear;
import dev.microdiffusion.core.nn.ParameterList;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

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
    public enum Scheme {
        /** N(0, 2/fan_in), the reference's 2-layer MLP. */
        HE,
        /** N(0, 2/(fan_in + fan_out)), the reference's 3-layer MLP. */
        XAVIER
    }

    private final String name;
    private final DenoiserConfig config;
    private final int length;
    private final int vocab;
    private final int hidden;
    private final int depth;
    private final int inputs;
    private final int outputs;
    private final Parameter[] weights;
    private final OneHotLinear first;
    /** The layers after the first: hidden ones (with skips), then the output layer. */
    private final Linear[] dense;
    /** [labels + 1, hidden]: a row added to the first layer per label, the last for the null label; or null. */
    private final Embedding labelEmbedding;
    private final int labels;
    private final List<Parameter> parameters;

    /**
     * @param depth number of hidden layers (1 or more); layers after the first have skip connections
     */
    public MlpDenoiser(String name, DenoiserConfig config, int hidden, int depth, Scheme scheme, MatrixKernel kernel,
            UniformRandomProvider random) {
        if (hidden < 1 || depth < 1) {
            throw new IllegalArgumentException("hidden and depth must be positive, got " + hidden + ", " + depth);
        }
        this.name = name;
        this.config = config;
        this.length = config.maxLength();
        this.vocab = config.vocabSize();
        this.hidden = hidden;
        this.depth = depth;
        this.inputs = length * vocab + 1;
        this.outputs = length * vocab;
        // the reference's names and [in, out] layout: W1, b1, W2, b2…
        ParameterList all = new ParameterList();
        this.weights = new Parameter[depth + 1];
        Parameter[] biases = new Parameter[depth + 1];
        for (int layer = 0; layer <= depth; layer++) {
            int in = layer == 0 ? inputs : hidden;
            int out = layer == depth ? outputs : hidden;
            weights[layer] = all.add("W" + (layer + 1), Parameter.Kind.WEIGHT, in, out);
            biases[layer] = all.add("b" + (layer + 1), Parameter.Kind.BIAS, out);
        }
        this.first = new OneHotLinear(kernel, weights[0], biases[0], length, vocab);
        this.dense = new Linear[depth];
        for (int layer = 1; layer <= depth; layer++) {
            dense[layer - 1] = Linear.inputMajor(kernel, weights[layer], biases[layer]);
        }
        this.labels = config.labels();
        // a label is one more one-hot input: its rows of the first layer, kept apart so that unconditional models
        // and files stay as they were
        this.labelEmbedding = labels > 0
                ? Embedding.over(kernel, all.add("label_emb", Parameter.Kind.EMBEDDING, labels + 1, hidden)) : null;
        this.parameters = all.list();
        initialise(scheme, Init.from(random));
    }

    /** Every weight by the scheme, biases zero; the label rows last, drawn as the first layer's rows are. */
    private void initialise(Scheme scheme, Init init) {
        for (Parameter w : weights) {
            draw(scheme, init, w, w.shape());
        }
        if (labelEmbedding != null) {
            // drawn last, so that the other weights are those of an unconditional model
            draw(scheme, init, labelEmbedding.table(), weights[0].shape());
        }
    }

    private static void draw(Scheme scheme, Init init, Parameter p, int[] fans) {
        if (scheme == Scheme.HE) {
            init.he(p, fans[0]);
        } else {
            init.xavier(p, fans[0], fans[1]);
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
        /** Each row's label embedding row: its label, or the null label's for −1. */
        private final int[] labelRows;
        /** Pre-activations z_i and layer outputs h_i, [depth][maxBatch × hidden]. */
        private final float[][] z;
        private final float[][] h;
        private final float[] dH;
        private final float[] dZ;
        /** dZ·Wᵀ of a skip layer, the gradient reaching h_{i−1} through the layer. */
        private final float[] dThrough;

        MlpPass(int maxBatch) {
            this.inputs = new BatchInputs(maxBatch, length);
            this.labelRows = new int[maxBatch];
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
            first.forward(tokens, times, z[0], batch);
            if (labelEmbedding != null) {
                int[] captured = inputs.labels();
                for (int b = 0; b < batch; b++) {
                    labelRows[b] = captured[b] < 0 ? labels : captured[b];
                }
                labelEmbedding.addTo(labelRows, z[0], batch);
            }
            relu(z[0], h[0], batch * hidden);
            for (int layer = 1; layer < depth; layer++) {
                dense[layer - 1].forward(h[layer - 1], z[layer], batch);
                float[] zl = z[layer];
                float[] hl = h[layer];
                float[] prev = h[layer - 1];
                for (int i = 0, n = batch * hidden; i < n; i++) {
                    hl[i] = Math.max(zl[i], 0f) + prev[i];
                }
            }
            dense[depth - 1].forward(h[depth - 1], logits, batch);
        }

        @Override
        public void backward(float[] dLogits, Gradients gradients) {
            int batch = inputs.batch();
            int n = batch * hidden;
            dense[depth - 1].backward(dLogits, h[depth - 1], dH, gradients, batch);

            for (int layer = depth - 1; layer >= 1; layer--) {
                // h = ReLU(z) + h_prev: dz = dh ⊙ [z > 0]; dh_prev = dh + dz·Wᵀ
                float[] zl = z[layer];
                for (int i = 0; i < n; i++) {
                    dZ[i] = zl[i] > 0f ? dH[i] : 0f;
                }
                dense[layer - 1].backward(dZ, h[layer - 1], dThrough, gradients, batch);
                for (int i = 0; i < n; i++) {
                    dH[i] += dThrough[i];
                }
            }
            float[] z0 = z[0];
            for (int i = 0; i < n; i++) {
                dZ[i] = z0[i] > 0f ? dH[i] : 0f;
            }
            if (labelEmbedding != null) {
                labelEmbedding.backward(labelRows, dZ, gradients, batch);
            }
            first.backward(dZ, inputs.tokens(), inputs.times(), gradients, batch);
        }
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
