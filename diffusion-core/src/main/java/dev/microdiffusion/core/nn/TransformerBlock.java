package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.spi.Gradients;

/**
 * One pre-norm block of the reference Transformer, bidirectional: mid = x + attn(norm1(x)), out = mid +
 * mlp(norm2(mid)), RMSNorm, no biases, the feed-forward 4d wide. Its parameters are {@code name.norm1.scale}, {@code
 * name.attn.qkv.weight}, {@code name.attn.proj.weight}, {@code name.norm2.scale}, {@code name.mlp.fc1.weight} and
 * {@code name.mlp.fc2.weight}, registered in that order. With dropout, each branch's output (attention's and the
 * feed-forward's) is dropped before it joins the residual stream, while training (GPT-2's residual dropout). {@link
 * BlockOptions} add rotary positions to the attention and can make the feed-forward a gated {@link SwiGlu} ({@code
 * name.mlp.gate_up.weight}, {@code name.mlp.down.weight}).
 */
public final class TransformerBlock {

    private final RmsNorm norm1;
    private final SelfAttention attention;
    private final RmsNorm norm2;
    private final FeedForward mlp;
    private final SwiGlu gated;
    private final Dropout dropout;
    private final int length;
    private final int width;

    /**
     * Registers the block's parameters under {@code name}.
     *
     * @param kernel     the kernel everything runs on
     * @param parameters where the parameters are registered
     * @param name       the block's name, e.g. {@code blocks.0}
     * @param length     L, the positions of a row
     * @param width      d
     * @param heads      attention heads, dividing d
     */
    public TransformerBlock(MatrixKernel kernel, ParameterList parameters, String name, int length, int width,
            int heads) {
        this(kernel, parameters, name, length, width, heads, 0);
    }

    /**
     * Registers the block's parameters under {@code name}, with residual dropout.
     *
     * @param kernel     the kernel everything runs on
     * @param parameters where the parameters are registered
     * @param name       the block's name, e.g. {@code blocks.0}
     * @param length     L, the positions of a row
     * @param width      d
     * @param heads      attention heads, dividing d
     * @param dropout    the probability each branch output value is dropped while training (0: none)
     */
    public TransformerBlock(MatrixKernel kernel, ParameterList parameters, String name, int length, int width,
            int heads, double dropout) {
        this(kernel, parameters, name, length, width, heads, BlockOptions.dropout(dropout));
    }

    /**
     * Registers the block's parameters under {@code name}, made as {@code options} say.
     *
     * @param kernel     the kernel everything runs on
     * @param parameters where the parameters are registered
     * @param name       the block's name, e.g. {@code blocks.0}
     * @param length     L, the positions of a row
     * @param width      d
     * @param heads      attention heads, dividing d
     * @param options    dropout, rotary positions, the feed-forward
     */
    public TransformerBlock(MatrixKernel kernel, ParameterList parameters, String name, int length, int width,
            int heads, BlockOptions options) {
        this.dropout = new Dropout(options.dropout());
        this.norm1 = new RmsNorm(kernel, parameters, name + ".norm1", width);
        this.attention = new SelfAttention(kernel, parameters, name + ".attn", length, width, heads);
        if (options.rotary() != null) {
            attention.withRotary(options.rotary());
        }
        this.norm2 = new RmsNorm(kernel, parameters, name + ".norm2", width);
        this.mlp = options.gatedHidden() == 0 ? new FeedForward(kernel, parameters, name + ".mlp", width, 4 * width)
                : null;
        this.gated = options.gatedHidden() > 0 ? new SwiGlu(kernel, parameters, name + ".mlp", width,
                options.gatedHidden()) : null;
        this.length = length;
        this.width = width;
    }

    /** {@return the attention layer} */
    public SelfAttention attention() {
        return attention;
    }

    /** {@return the output projection of the feed-forward: the branch's last product} */
    public Linear feedForwardOut() {
        return mlp != null ? mlp.fc2() : gated.down();
    }

    /**
     * PyTorch's defaults in registration order: norm scales 1, linear weights U(±1/√fan_in).
     *
     * @param init the initialisers
     */
    public void initialise(Init init) {
        norm1.initialise();
        attention.initialise(init);
        norm2.initialise();
        if (mlp != null) {
            mlp.initialise(init);
        } else {
            gated.initialise(init);
        }
    }

    /** Draws the block's linear weights N(0, std²), the branch-ending ones N(0, branchEnd²), for {@link
     * TransformerStack#initialiseSmall}. */
    void smallWeights(Init init, double std, double branchEnd) {
        init.normal(attention.qkv().weight(), std);
        init.normal(attention.proj().weight(), branchEnd);
        if (mlp != null) {
            init.normal(mlp.fc1().weight(), std);
        } else {
            init.normal(gated.gateUp().weight(), std);
        }
        init.normal(feedForwardOut().weight(), branchEnd);
    }

    /** What one batch's forward keeps for its backward, and the backward's scratch. */
    public final class Activations {
        private final float[] n1;
        private final float[] r1;
        private final SelfAttention.Activations attended;
        private final float[] mid;
        private final float[] n2;
        private final float[] r2;
        private final FeedForward.Activations fed;
        private final SwiGlu.Activations gatedFed;
        /** The two branches' dropout masks, and a branch's share of the stream's gradient (empty without dropout). */
        private final float[] attentionMask;
        private final float[] feedForwardMask;
        private final float[] dBranch;
        private boolean attentionDropped;
        private boolean feedForwardDropped;

        private Activations(int maxBatch) {
            int rows = maxBatch * length;
            n1 = new float[rows * width];
            r1 = new float[rows];
            attended = attention.newActivations(maxBatch);
            mid = new float[rows * width];
            n2 = new float[rows * width];
            r2 = new float[rows];
            fed = mlp != null ? mlp.newActivations(rows) : null;
            gatedFed = gated != null ? gated.newActivations(rows) : null;
            int dropped = dropout.active() ? rows * width : 0;
            attentionMask = new float[dropped];
            feedForwardMask = new float[dropped];
            dBranch = new float[dropped];
        }
    }

    /**
     * Buffers for batches of up to {@code maxBatch} rows; one per pass and block.
     *
     * @param maxBatch the most rows of a batch
     * @return the buffers
     */
    public Activations newActivations(int maxBatch) {
        return new Activations(maxBatch);
    }

    /**
     * out = block(x), for inference.
     *
     * @param x     [batch·L, d]
     * @param out     receives [batch·L, d]; not {@code x}, which backward needs
     * @param a       this batch's buffers
     * @param scratch [batch·L, d] the call may overwrite (one for every block of a pass)
     * @param batch   rows of the batch
     */
    public void forward(float[] x, float[] out, Activations a, float[] scratch, int batch) {
        forward(x, out, a, scratch, batch, null);
    }

    /**
     * out = block(x), training when {@code random} is given (the block's dropout draws from it).
     *
     * @param x       [batch·L, d]
     * @param out     receives [batch·L, d]; not {@code x}, which backward needs
     * @param a       this batch's buffers
     * @param scratch [batch·L, d] the call may overwrite (one for every block of a pass)
     * @param batch   rows of the batch
     * @param random  each batch row's stream while training, or null for inference
     */
    public void forward(float[] x, float[] out, Activations a, float[] scratch, int batch, RowRandom random) {
        int rows = batch * length;
        norm1.forward(x, a.n1, a.r1, rows);
        attention.forward(a.n1, scratch, a.attended, batch);
        a.attentionDropped = dropout.forward(scratch, a.attentionMask, batch, length * width, random);
        Rows.add(x, scratch, a.mid, rows * width);
        norm2.forward(a.mid, a.n2, a.r2, rows);
        if (mlp != null) {
            mlp.forward(a.n2, scratch, a.fed, rows);
        } else {
            gated.forward(a.n2, scratch, a.gatedFed, rows);
        }
        a.feedForwardDropped = dropout.forward(scratch, a.feedForwardMask, batch, length * width, random);
        Rows.add(a.mid, scratch, out, rows * width);
    }

    /**
     * Turns dL/dout into dL/dx in place and adds the parameters' gradients.
     *
     * @param dStream   [batch·L, d]: dL/dout, which becomes dL/dx
     * @param x         the forward's input
     * @param a         the buffers the forward filled
     * @param scratch   [batch·L, d] the call may overwrite (one for every block of a pass)
     * @param gradients where the gradients are added
     * @param batch     rows of the batch
     */
    public void backward(float[] dStream, float[] x, Activations a, float[] scratch, Gradients gradients,
            int batch) {
        int rows = batch * length;
        int n = rows * width;
        // out = mid + mlp(norm2(mid)): the stream's gradient reaches mid directly and through the branch
        float[] dFed = branch(dStream, a.feedForwardDropped, a.feedForwardMask, a.dBranch, n);
        if (mlp != null) {
            mlp.backward(dFed, a.n2, scratch, a.fed, gradients, rows);
        } else {
            gated.backward(dFed, a.n2, scratch, a.gatedFed, gradients, rows);
        }
        norm2.backward(scratch, a.mid, a.r2, dStream, gradients, rows);
        // mid = x + attn(norm1(x))
        attention.backward(branch(dStream, a.attentionDropped, a.attentionMask, a.dBranch, n), a.n1, scratch,
                a.attended, gradients, batch);
        norm1.backward(scratch, x, a.r1, dStream, gradients, rows);
    }

    /** The gradient reaching a branch's output: the stream's, through the branch's dropout mask when it dropped. */
    private static float[] branch(float[] dStream, boolean dropped, float[] mask, float[] dBranch, int n) {
        if (!dropped) {
            return dStream;
        }
        Dropout.backward(dStream, mask, dBranch, n);
        return dBranch;
    }
}
