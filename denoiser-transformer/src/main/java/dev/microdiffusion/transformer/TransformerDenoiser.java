package dev.microdiffusion.transformer;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.nn.BatchInputs;
import dev.microdiffusion.core.nn.BlockOptions;
import dev.microdiffusion.core.nn.Embedding;
import dev.microdiffusion.core.nn.Init;
import dev.microdiffusion.core.nn.ParameterList;
import dev.microdiffusion.core.nn.Rotary;
import dev.microdiffusion.core.nn.Rows;
import dev.microdiffusion.core.nn.TimeEmbedding;
import dev.microdiffusion.core.nn.TransformerStack;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The reference's bidirectional Transformer denoiser, built from the core's layers ({@code dev.microdiffusion.core.nn}):
 * <pre>
 *   h = tok_emb[x] + pos_emb[l] + time_mlp(t)          time_mlp = Linear(1→d) → GELU → Linear(d→d)
 *   repeat n_layers:  h = block(h)                     h += attn(norm1(h)); h += mlp(norm2(h)): pre-norm,
 *                                                       RMSNorm, no biases, mlp = fc2(GELU(fc1(·))), fc1: d→4d
 *   logits = lm_head(norm_f(h))
 * </pre>
 * Parameter names, shapes and order are those of the reference's PyTorch {@code state_dict}; linear weights are
 * [out, in], so y = x·Wᵀ. Initialisation is PyTorch's default (embeddings N(0, 1), linear layers U(±1/√fan_in), norm
 * scales 1), drawn in parameter order. A {@link TransformerShape} can make it a text model instead: rotary positions
 * (no {@code pos_emb}), no time input (no {@code time_mlp}), a SwiGLU feed-forward, and GPT-2's initialisation if asked.
 */
public final class TransformerDenoiser implements Denoiser {

    private final String name;
    private final DenoiserConfig config;
    private final int length;
    private final int vocab;
    private final int d;
    private final int heads;
    private final int layers;
    private final double dropout;
    private final TransformerShape shape;

    private final Embedding tokEmb;
    private final Embedding posEmb;
    private final TimeEmbedding time;
    private final TransformerStack stack;
    /** [labels + 1, d]: added to a row's time embedding, the last row for the null label; or null. */
    private final Embedding labelEmb;
    private final int labels;
    private final List<Parameter> parameters;

    public TransformerDenoiser(String name, DenoiserConfig config, int dModel, int heads, int layers,
            MatrixKernel kernel, UniformRandomProvider random) {
        this(name, config, dModel, heads, layers, 0, kernel, random);
    }

    /**
     * A Transformer with residual dropout while training ({@link TransformerStack}); the weights drawn are those of
     * the same Transformer without it.
     *
     * @param name    the provider name it is made under
     * @param config  what it is built for
     * @param dModel  d
     * @param heads   attention heads, dividing d
     * @param layers  blocks
     * @param dropout each block's dropout probability (0: none)
     * @param kernel  the kernel everything runs on
     * @param random  the generator the weights are drawn from
     */
    public TransformerDenoiser(String name, DenoiserConfig config, int dModel, int heads, int layers, double dropout,
            MatrixKernel kernel, UniformRandomProvider random) {
        this(name, config, TransformerShape.reference(dModel, heads, layers, dropout), kernel, random);
    }

    /**
     * A Transformer of the given shape.
     *
     * @param name   the provider name it is made under
     * @param config what it is built for
     * @param shape  its sizes and make
     * @param kernel the kernel everything runs on
     * @param random the generator the weights are drawn from
     */
    public TransformerDenoiser(String name, DenoiserConfig config, TransformerShape shape, MatrixKernel kernel,
            UniformRandomProvider random) {
        this.name = name;
        this.config = config;
        this.shape = shape;
        this.length = config.maxLength();
        this.vocab = config.vocabSize();
        this.d = shape.dModel();
        this.heads = shape.heads();
        this.layers = shape.layers();
        this.dropout = shape.dropout();

        ParameterList all = new ParameterList();
        tokEmb = Embedding.of(kernel, all, "tok_emb", vocab, d);
        posEmb = shape.rotary() ? null : Embedding.of(kernel, all, "pos_emb", length, d);
        time = shape.timeInput() ? new TimeEmbedding(kernel, all, "time_mlp", d) : null;
        Rotary rotary = shape.rotary() ? new Rotary(length, d / heads, Rotary.DEFAULT_BASE) : null;
        stack = new TransformerStack(kernel, all, length, d, heads, layers, vocab,
                new BlockOptions(dropout, rotary, shape.gated() ? shape.gatedHidden() : 0));
        this.labels = config.labels();
        // last, so that it is drawn last and the other weights are those of an unconditional model
        labelEmb = labels > 0 ? Embedding.of(kernel, all, "label_emb", labels + 1, d) : null;
        this.parameters = all.list();

        Init init = Init.from(random);
        if (shape.smallInit()) {
            init.normal(tokEmb.table(), TransformerShape.SMALL_STD);
            if (posEmb != null) {
                init.normal(posEmb.table(), TransformerShape.SMALL_STD);
            }
        } else {
            tokEmb.initialise(init);
            if (posEmb != null) {
                posEmb.initialise(init);
            }
        }
        if (time != null) {
            time.initialise(init);
        }
        if (shape.smallInit()) {
            stack.initialiseSmall(init, TransformerShape.SMALL_STD);
        } else {
            stack.initialise(init);
        }
        if (labelEmb != null) {
            labelEmb.initialise(init);
        }
    }

    /** {@return what it is made of} */
    public TransformerShape shape() {
        return shape;
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

    private final class TransformerPass implements Pass {
        private final BatchInputs inputs;
        private final TimeEmbedding.Activations timeActivations;
        private final float[] timeEmb;
        private final float[] dTimeEmb;
        /** Each row position's index, l for (b, l): the ids of the position embedding. */
        private final int[] positions;
        /** Each row's label embedding row: its label, or the null label's for −1. */
        private final int[] labelRows;
        private final TransformerStack.Activations trunk;
        /** Each row's stream while training, or null. */
        private RowRandom training;

        TransformerPass(int maxBatch) {
            inputs = new BatchInputs(maxBatch, length);
            timeActivations = time != null ? time.newActivations(maxBatch) : null;
            timeEmb = new float[maxBatch * d];
            dTimeEmb = new float[maxBatch * d];
            positions = new int[maxBatch * length];
            Arrays.setAll(positions, i -> i % length);
            labelRows = new int[maxBatch];
            trunk = stack.newActivations(maxBatch);
        }

        @Override
        public int maxBatch() {
            return inputs.maxBatch();
        }

        @Override
        public void training(RowRandom random) {
            training = random;
        }

        @Override
        public void forward(int[] tokens, float[] times, int batch, float[] logits) {
            forward(tokens, times, null, batch, logits);
        }

        @Override
        public void forward(int[] tokens, float[] times, int[] rowLabels, int batch, float[] logits) {
            inputs.capture(tokens, times, rowLabels, batch, labels);
            int rows = batch * length;

            if (time != null) {
                time.forward(times, timeEmb, timeActivations, batch);
            } else if (labelEmb != null) {
                Arrays.fill(timeEmb, 0, batch * d, 0f);
            }
            if (labelEmb != null) {
                int[] captured = inputs.labels();
                for (int b = 0; b < batch; b++) {
                    labelRows[b] = captured[b] < 0 ? labels : captured[b];
                }
                labelEmb.addTo(labelRows, timeEmb, batch);
            }
            // h = tok_emb[x] + pos_emb[l] + time embedding of the row
            float[] h = trunk.input();
            tokEmb.lookup(tokens, h, rows);
            if (posEmb != null) {
                posEmb.addTo(positions, h, rows);
            }
            if (time != null || labelEmb != null) {
                Rows.addPerRow(h, timeEmb, batch, length, d);
            }
            stack.forward(trunk, logits, batch, training);
        }

        @Override
        public void backward(float[] dLogits, Gradients gradients) {
            int batch = inputs.batch();
            int rows = batch * length;
            stack.backward(dLogits, trunk, gradients, batch);
            // the embeddings take the stream's gradient at the rows they were looked up for; the time embedding
            // (and a label's row added to it) sums over positions
            float[] dH = trunk.inputGradient();
            tokEmb.backward(inputs.tokens(), dH, gradients, rows);
            if (posEmb != null) {
                posEmb.backward(positions, dH, gradients, rows);
            }
            if (time == null && labelEmb == null) {
                return;
            }
            Rows.sumPerRow(dH, dTimeEmb, batch, length, d);
            if (labelEmb != null) {
                labelEmb.backward(labelRows, dTimeEmb, gradients, batch);
            }
            if (time != null) {
                time.backward(dTimeEmb, inputs.times(), timeActivations, gradients, batch);
            }
        }
    }

    @Override
    public String toString() {
        return name + "[L=" + length + ", V=" + vocab + ", d=" + d + ", heads=" + heads + ", layers=" + layers
                + (dropout > 0 ? ", dropout=" + dropout : "") + (shape.rotary() ? ", rotary" : "")
                + (shape.timeInput() ? "" : ", no time input") + (shape.gated() ? ", SwiGLU" : "")
                + (shape.smallInit() ? ", small init" : "") + ", parameters=" + parameterCount() + "]";
    }
}
