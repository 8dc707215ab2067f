package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.spi.Gradients;
import java.util.Arrays;

/**
 * The reference Transformer after its embeddings: {@code layers} {@link TransformerBlock}s ({@code blocks.i.*}), a
 * final RMSNorm ({@code norm_f.scale}) and the output projection to V logits ({@code lm_head.weight}, no bias). A
 * denoiser writes its embedding of the rows into {@link Activations#input()}, calls {@link #forward}, and after
 * {@link #backward} finds the embedding's gradient in {@link Activations#inputGradient()}.
 */
public final class TransformerStack {

    private final TransformerBlock[] blocks;
    private final RmsNorm normF;
    private final Linear head;
    private final int length;
    private final int width;

    /**
     * Registers the blocks', the final norm's and the head's parameters, in that order.
     *
     * @param kernel     the kernel everything runs on
     * @param parameters where the parameters are registered
     * @param length     L
     * @param width      d
     * @param heads      attention heads, dividing d
     * @param layers     blocks
     * @param vocab      V, the logits per position
     */
    public TransformerStack(MatrixKernel kernel, ParameterList parameters, int length, int width, int heads,
            int layers, int vocab) {
        this(kernel, parameters, length, width, heads, layers, vocab, 0);
    }

    /**
     * As {@link #TransformerStack(MatrixKernel, ParameterList, int, int, int, int, int)}, every block with residual
     * dropout while training ({@link TransformerBlock#TransformerBlock(MatrixKernel, ParameterList, String, int, int,
     * int, double)}).
     *
     * @param kernel     the kernel everything runs on
     * @param parameters where the parameters are registered
     * @param length     L
     * @param width      d
     * @param heads      attention heads, dividing d
     * @param layers     blocks
     * @param vocab      V, the logits per position
     * @param dropout    each block's dropout probability (0: none)
     */
    public TransformerStack(MatrixKernel kernel, ParameterList parameters, int length, int width, int heads,
            int layers, int vocab, double dropout) {
        this(kernel, parameters, length, width, heads, layers, vocab, BlockOptions.dropout(dropout));
    }

    /**
     * As {@link #TransformerStack(MatrixKernel, ParameterList, int, int, int, int, int)}, every block made as {@code
     * options} say.
     *
     * @param kernel     the kernel everything runs on
     * @param parameters where the parameters are registered
     * @param length     L
     * @param width      d
     * @param heads      attention heads, dividing d
     * @param layers     blocks
     * @param vocab      V, the logits per position
     * @param options    every block's dropout, rotary positions and feed-forward
     */
    public TransformerStack(MatrixKernel kernel, ParameterList parameters, int length, int width, int heads,
            int layers, int vocab, BlockOptions options) {
        blocks = new TransformerBlock[layers];
        for (int i = 0; i < layers; i++) {
            blocks[i] = new TransformerBlock(kernel, parameters, "blocks." + i, length, width, heads, options);
        }
        normF = new RmsNorm(kernel, parameters, "norm_f", width);
        head = Linear.of(kernel, parameters, "lm_head", width, vocab, false);
        this.length = length;
        this.width = width;
    }

    /**
     * PyTorch's defaults in registration order (see {@link TransformerBlock#initialise}, {@link Linear#initialise}).
     *
     * @param init the initialisers
     */
    public void initialise(Init init) {
        for (TransformerBlock block : blocks) {
            block.initialise(init);
        }
        normF.initialise();
        head.initialise(init);
    }

    /**
     * GPT-2's small initialisation, for deep or wide stacks: every linear weight N(0, std²), the two products that end
     * a block's branches (attention's output, the feed-forward's last) N(0, std²/(2·layers)) so the residual stream
     * does not grow with depth, the norms' scales 1.
     *
     * @param init the initialisers
     * @param std  the weights' standard deviation (0.02 in GPT-2)
     */
    public void initialiseSmall(Init init, double std) {
        double branchEnd = std / Math.sqrt(2.0 * blocks.length);
        for (TransformerBlock block : blocks) {
            block.initialise(init);
            block.smallWeights(init, std, branchEnd);
        }
        normF.initialise();
        init.normal(head.weight(), std);
    }

    /** One batch's residual stream and block activations, and the backward's buffers. */
    public final class Activations {
        /** The residual stream before each block and after the last: [layers + 1][rows × d]. */
        private final float[][] stream;
        private final TransformerBlock.Activations[] kept;
        private final float[] normOut;
        private final float[] rF;
        private final float[] dStream;
        /** The blocks' scratch in forward, the norms' input gradient in backward. */
        private final float[] dNorm;

        private Activations(int maxBatch) {
            int rows = maxBatch * length;
            stream = new float[blocks.length + 1][rows * width];
            kept = new TransformerBlock.Activations[blocks.length];
            Arrays.setAll(kept, i -> blocks[i].newActivations(maxBatch));
            normOut = new float[rows * width];
            rF = new float[rows];
            dStream = new float[rows * width];
            dNorm = new float[rows * width];
        }

        /** {@return where the caller writes the embedded rows, [batch·L, d], before {@link #forward}} */
        public float[] input() {
            return stream[0];
        }

        /** {@return dL/d(input) after {@link #backward}, [batch·L, d]} */
        public float[] inputGradient() {
            return dStream;
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
     * logits = lm_head(norm_f(blocks(input))), for inference.
     *
     * @param a      the buffers, their input written
     * @param logits receives [batch, L, V]
     * @param batch  rows of the batch
     */
    public void forward(Activations a, float[] logits, int batch) {
        forward(a, logits, batch, null);
    }

    /**
     * logits = lm_head(norm_f(blocks(input))), training when {@code random} is given (the blocks' dropout draws from
     * it, block by block).
     *
     * @param a      the buffers, their input written
     * @param logits receives [batch, L, V]
     * @param batch  rows of the batch
     * @param random each batch row's stream while training, or null for inference
     */
    public void forward(Activations a, float[] logits, int batch, RowRandom random) {
        int rows = batch * length;
        for (int i = 0; i < blocks.length; i++) {
            blocks[i].forward(a.stream[i], a.stream[i + 1], a.kept[i], a.dNorm, batch, random);
        }
        normF.forward(a.stream[blocks.length], a.normOut, a.rF, rows);
        head.forward(a.normOut, logits, rows);
    }

    /**
     * Adds every parameter's gradient and leaves dL/d(input) in {@link Activations#inputGradient()}.
     *
     * @param dLogits   [batch, L, V]
     * @param a         the buffers the forward filled
     * @param gradients where the gradients are added
     * @param batch     rows of the batch
     */
    public void backward(float[] dLogits, Activations a, Gradients gradients, int batch) {
        int rows = batch * length;
        head.backward(dLogits, a.normOut, a.dNorm, gradients, rows);
        Arrays.fill(a.dStream, 0, rows * width, 0f);
        normF.backward(a.dNorm, a.stream[blocks.length], a.rF, a.dStream, gradients, rows);
        for (int i = blocks.length - 1; i >= 0; i--) {
            blocks[i].backward(a.dStream, a.stream[i], a.kept[i], a.dNorm, gradients, batch);
        }
    }
}
