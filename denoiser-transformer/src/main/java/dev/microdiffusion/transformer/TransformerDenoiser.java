package dev.microdiffusion.transformer;

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
 * The reference's bidirectional Transformer denoiser:
 * <pre>
 *   h = tok_emb[x] + pos_emb[l] + time_mlp(t)          time_mlp = Linear(1→d) → GELU → Linear(d→d)
 *   repeat n_layers:  h += proj(attention(norm1(h)))    pre-norm, RMSNorm, no biases
 *                     h += fc2(GELU(fc1(norm2(h))))      fc1: d→4d, fc2: 4d→d
 *   logits = lm_head(norm_f(h))
 * </pre>
 * Parameter names, shapes and order are those of the reference's PyTorch {@code state_dict}; linear weights are
 * [out, in], so y = x·Wᵀ. Initialisation is PyTorch's default (embeddings N(0, 1), linear layers U(±1/√fan_in), norm
 * scales 1).
 */
public final class TransformerDenoiser implements Denoiser {

    private final String name;
    private final DenoiserConfig config;
    private final MatrixKernel kernel;
    private final int length;
    private final int vocab;
    private final int d;
    private final int heads;
    private final int layers;
    private final int ffn;

    private final Parameter tokEmb;
    private final Parameter posEmb;
    private final Parameter time0Weight;
    private final Parameter time0Bias;
    private final Parameter time2Weight;
    private final Parameter time2Bias;
    private final Parameter[] norm1;
    private final Parameter[] qkv;
    private final Parameter[] proj;
    private final Parameter[] norm2;
    private final Parameter[] fc1;
    private final Parameter[] fc2;
    private final Parameter normF;
    private final Parameter lmHead;
    /** [labels + 1, d]: added to a row's time embedding, the last row for the null label; or null. */
    private final Parameter labelEmb;
    private final int labels;
    private final List<Parameter> parameters;

    public TransformerDenoiser(String name, DenoiserConfig config, int dModel, int heads, int layers,
            MatrixKernel kernel, UniformRandomProvider random) {
        if (dModel < 1 || heads < 1 || layers < 1 || dModel % heads != 0) {
            throw new IllegalArgumentException("need d_model, heads, layers ≥ 1 and heads dividing d_model, got "
                    + dModel + ", " + heads + ", " + layers);
        }
        this.name = name;
        this.config = config;
        this.kernel = kernel;
        this.length = config.maxLength();
        this.vocab = config.vocabSize();
        this.d = dModel;
        this.heads = heads;
        this.layers = layers;
        this.ffn = 4 * dModel;

        List<Parameter> all = new ArrayList<>();
        tokEmb = add(all, new Parameter("tok_emb.weight", Parameter.Kind.EMBEDDING, vocab, d));
        posEmb = add(all, new Parameter("pos_emb.weight", Parameter.Kind.EMBEDDING, length, d));
        time0Weight = add(all, new Parameter("time_mlp.0.weight", Parameter.Kind.WEIGHT, d, 1));
        time0Bias = add(all, new Parameter("time_mlp.0.bias", Parameter.Kind.BIAS, d));
        time2Weight = add(all, new Parameter("time_mlp.2.weight", Parameter.Kind.WEIGHT, d, d));
        time2Bias = add(all, new Parameter("time_mlp.2.bias", Parameter.Kind.BIAS, d));
        norm1 = new Parameter[layers];
        qkv = new Parameter[layers];
        proj = new Parameter[layers];
        norm2 = new Parameter[layers];
        fc1 = new Parameter[layers];
        fc2 = new Parameter[layers];
        for (int i = 0; i < layers; i++) {
            String block = "blocks." + i + ".";
            norm1[i] = add(all, new Parameter(block + "norm1.scale", Parameter.Kind.SCALE, d));
            qkv[i] = add(all, new Parameter(block + "attn.qkv.weight", Parameter.Kind.WEIGHT, 3 * d, d));
            proj[i] = add(all, new Parameter(block + "attn.proj.weight", Parameter.Kind.WEIGHT, d, d));
            norm2[i] = add(all, new Parameter(block + "norm2.scale", Parameter.Kind.SCALE, d));
            fc1[i] = add(all, new Parameter(block + "mlp.fc1.weight", Parameter.Kind.WEIGHT, ffn, d));
            fc2[i] = add(all, new Parameter(block + "mlp.fc2.weight", Parameter.Kind.WEIGHT, d, ffn));
        }
        normF = add(all, new Parameter("norm_f.scale", Parameter.Kind.SCALE, d));
        lmHead = add(all, new Parameter("lm_head.weight", Parameter.Kind.WEIGHT, vocab, d));
        this.labels = config.labels();
        // last, so that it is drawn last and the other weights are those of an unconditional model
        labelEmb = labels > 0 ? add(all, new Parameter("label_emb.weight", Parameter.Kind.EMBEDDING, labels + 1, d))
                : null;
        this.parameters = List.copyOf(all);
        initialise(random);
    }

    private static Parameter add(List<Parameter> all, Parameter p) {
        all.add(p);
        return p;
    }

    private void initialise(UniformRandomProvider random) {
        ZigguratSampler.NormalizedGaussian gaussian = ZigguratSampler.NormalizedGaussian.of(random);
        for (Parameter p : parameters) {
            float[] v = p.values();
            switch (p.kind()) {
                case EMBEDDING -> {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) gaussian.sample();
                    }
                }
                case SCALE -> Arrays.fill(v, 1f);
                case WEIGHT, BIAS -> {
                    // PyTorch's nn.Linear: weight and bias both U(±1/√fan_in); a bias's fan_in is its weight's
                    int fanIn = p == time0Bias ? 1 : p == time2Bias ? d : p.shape()[1];
                    double bound = 1.0 / Math.sqrt(fanIn);
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                    }
                }
                default -> throw new IllegalStateException(p.toString());
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

    public int dModel() {
        return d;
    }

    public int heads() {
        return heads;
    }

    public int layers() {
        return layers;
    }

    @Override
    public Pass newPass(int maxBatch) {
        return new TransformerPass(maxBatch);
    }

    /** Activations of one block, kept from forward for backward. */
    private final class BlockState {
        final float[] n1;
        final float[] r1;
        final float[] qkvOut;
        final float[] probabilities;
        final float[] attention;
        final float[] mid;
        final float[] n2;
        final float[] r2;
        final float[] up;
        final float[] act;

        BlockState(int maxBatch) {
            int rows = maxBatch * length;
            n1 = new float[rows * d];
            r1 = new float[rows];
            qkvOut = new float[rows * 3 * d];
            probabilities = new float[maxBatch * heads * length * length];
            attention = new float[rows * d];
            mid = new float[rows * d];
            n2 = new float[rows * d];
            r2 = new float[rows];
            up = new float[rows * ffn];
            act = new float[rows * ffn];
        }
    }

    private final class TransformerPass implements Pass {
        private final BatchInputs inputs;
        private final float[] timeUp;
        private final float[] timeAct;
        private final float[] timeEmb;
        /** The residual stream before each block and after the last: [layers + 1][rows × d]. */
        private final float[][] stream;
        private final BlockState[] blocks;
        private final float[] normOut;
        private final float[] rF;
        private final float[] scratch;
        // backward buffers
        private final float[] dStream;
        private final float[] dNorm;
        private final float[] dQkv;
        private final float[] dAttention;
        private final float[] dWide;
        private final Attention attention;
        private final float[] dTimeEmb;
        private final float[] dTimeAct;

        TransformerPass(int maxBatch) {
            inputs = new BatchInputs(maxBatch, length);
            int rows = maxBatch * length;
            timeUp = new float[maxBatch * d];
            timeAct = new float[maxBatch * d];
            timeEmb = new float[maxBatch * d];
            stream = new float[layers + 1][rows * d];
            blocks = new BlockState[layers];
            for (int i = 0; i < layers; i++) {
                blocks[i] = new BlockState(maxBatch);
            }
            normOut = new float[rows * d];
            rF = new float[rows];
            scratch = new float[rows * d];
            dStream = new float[rows * d];
            dNorm = new float[rows * d];
            dQkv = new float[rows * 3 * d];
            dAttention = new float[rows * d];
            dWide = new float[rows * ffn];
            attention = new Attention(kernel, length, heads, d / heads);
            dTimeEmb = new float[maxBatch * d];
            dTimeAct = new float[maxBatch * d];
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
            int rows = batch * length;

            // time_mlp(t): Linear(1→d) → GELU → Linear(d→d)
            float[] w0 = time0Weight.values();
            float[] b0 = time0Bias.values();
            for (int b = 0; b < batch; b++) {
                for (int o = 0; o < d; o++) {
                    timeUp[b * d + o] = times[b] * w0[o] + b0[o];
                }
            }
            kernel.gelu(timeUp, timeAct, batch * d);
            kernel.multiplyTransposeB(timeAct, time2Weight.values(), timeEmb, batch, d, d);
            Rows.addVector(timeEmb, time2Bias.values(), batch, d);
            if (labelEmb != null) {
                int[] captured = inputs.labels();
                for (int b = 0; b < batch; b++) {
                    kernel.axpy(1f, labelEmb.values(), labelRow(captured[b]) * d, timeEmb, b * d, d);
                }
            }

            // h = tok_emb[x] + pos_emb[l] + time embedding of the row
            float[] h = stream[0];
            float[] tok = tokEmb.values();
            float[] pos = posEmb.values();
            for (int b = 0; b < batch; b++) {
                for (int l = 0; l < length; l++) {
                    int o = (b * length + l) * d;
                    int t = tokens[b * length + l] * d;
                    for (int c = 0; c < d; c++) {
                        h[o + c] = tok[t + c] + pos[l * d + c] + timeEmb[b * d + c];
                    }
                }
            }

            for (int i = 0; i < layers; i++) {
                BlockState s = blocks[i];
                float[] in = stream[i];
                float[] out = stream[i + 1];
                RmsNorm.forward(kernel, in, norm1[i].values(), s.n1, s.r1, rows, d);
                kernel.multiplyTransposeB(s.n1, qkv[i].values(), s.qkvOut, rows, d, 3 * d);
                attention.forward(s.qkvOut, s.probabilities, s.attention, batch);
                kernel.multiplyTransposeB(s.attention, proj[i].values(), scratch, rows, d, d);
                Rows.add(in, scratch, s.mid, rows * d);
                RmsNorm.forward(kernel, s.mid, norm2[i].values(), s.n2, s.r2, rows, d);
                kernel.multiplyTransposeB(s.n2, fc1[i].values(), s.up, rows, d, ffn);
                kernel.gelu(s.up, s.act, rows * ffn);
                kernel.multiplyTransposeB(s.act, fc2[i].values(), scratch, rows, ffn, d);
                Rows.add(s.mid, scratch, out, rows * d);
            }
            RmsNorm.forward(kernel, stream[layers], normF.values(), normOut, rF, rows, d);
            kernel.multiplyTransposeB(normOut, lmHead.values(), logits, rows, d, vocab);
        }

        @Override
        public void backward(float[] dLogits, Gradients gradients) {
            int batch = inputs.batch();
            int rows = batch * length;

            // logits = norm_f(h)·lm_headᵀ
            kernel.multiplyTransposeAAdd(dLogits, normOut, gradients.of(lmHead), rows, vocab, d);
            kernel.multiply(dLogits, lmHead.values(), dNorm, rows, vocab, d);
            Arrays.fill(dStream, 0, rows * d, 0f);
            RmsNorm.backward(kernel, dNorm, stream[layers], normF.values(), rF, dStream, gradients.of(normF), rows, d);

            for (int i = layers - 1; i >= 0; i--) {
                BlockState s = blocks[i];
                // out = mid + fc2(GELU(fc1(norm2(mid)))); dStream holds dL/dout and becomes dL/dmid
                kernel.multiply(dStream, fc2[i].values(), dWide, rows, d, ffn);
                kernel.multiplyTransposeAAdd(dStream, s.act, gradients.of(fc2[i]), rows, d, ffn);
                kernel.geluBackward(s.up, dWide, dWide, rows * ffn);
                kernel.multiply(dWide, fc1[i].values(), dNorm, rows, ffn, d);
                kernel.multiplyTransposeAAdd(dWide, s.n2, gradients.of(fc1[i]), rows, ffn, d);
                RmsNorm.backward(kernel, dNorm, s.mid, norm2[i].values(), s.r2, dStream, gradients.of(norm2[i]), rows, d);

                // mid = in + proj(attention(norm1(in))); dStream becomes dL/din
                kernel.multiply(dStream, proj[i].values(), dAttention, rows, d, d);
                kernel.multiplyTransposeAAdd(dStream, s.attention, gradients.of(proj[i]), rows, d, d);
                attention.backward(dAttention, s.qkvOut, s.probabilities, dQkv, batch);
                kernel.multiply(dQkv, qkv[i].values(), dNorm, rows, 3 * d, d);
                kernel.multiplyTransposeAAdd(dQkv, s.n1, gradients.of(qkv[i]), rows, 3 * d, d);
                RmsNorm.backward(kernel, dNorm, stream[i], norm1[i].values(), s.r1, dStream, gradients.of(norm1[i]), rows, d);
            }

            // embeddings: scatter into the rows that were gathered; the time embedding sums over positions
            int[] tokens = inputs.tokens();
            float[] times = inputs.times();
            float[] dTok = gradients.of(tokEmb);
            float[] dPos = gradients.of(posEmb);
            Arrays.fill(dTimeEmb, 0, batch * d, 0f);
            for (int b = 0; b < batch; b++) {
                for (int l = 0; l < length; l++) {
                    int o = (b * length + l) * d;
                    int t = tokens[b * length + l] * d;
                    for (int c = 0; c < d; c++) {
                        float g = dStream[o + c];
                        dTok[t + c] += g;
                        dPos[l * d + c] += g;
                        dTimeEmb[b * d + c] += g;
                    }
                }
            }
            if (labelEmb != null) {
                // the label's row is added to the time embedding: it takes that embedding's gradient
                float[] dLabel = gradients.of(labelEmb);
                int[] captured = inputs.labels();
                for (int b = 0; b < batch; b++) {
                    kernel.axpy(1f, dTimeEmb, b * d, dLabel, labelRow(captured[b]) * d, d);
                }
            }
            kernel.multiplyTransposeAAdd(dTimeEmb, timeAct, gradients.of(time2Weight), batch, d, d);
            Rows.sumInto(dTimeEmb, gradients.of(time2Bias), batch, d);
            kernel.multiply(dTimeEmb, time2Weight.values(), dTimeAct, batch, d, d);
            kernel.geluBackward(timeUp, dTimeAct, dTimeAct, batch * d);
            float[] dW0 = gradients.of(time0Weight);
            float[] dB0 = gradients.of(time0Bias);
            for (int b = 0; b < batch; b++) {
                for (int o = 0; o < d; o++) {
                    dW0[o] += dTimeAct[b * d + o] * times[b];
                    dB0[o] += dTimeAct[b * d + o];
                }
            }
        }
    }

    /** The embedding row of a label: its own, or the last (the null label) for −1. */
    private int labelRow(int label) {
        return label < 0 ? labels : label;
    }

    @Override
    public String toString() {
        return name + "[L=" + length + ", V=" + vocab + ", d=" + d + ", heads=" + heads + ", layers=" + layers
                + ", parameters=" + parameterCount() + "]";
    }
}
