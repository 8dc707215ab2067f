package dev.microdiffusion.examples.plugin;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.nn.BatchInputs;
import dev.microdiffusion.core.nn.Embedding;
import dev.microdiffusion.core.nn.Init;
import dev.microdiffusion.core.nn.ParameterList;
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
 * The reference Transformer without any time input: a masked diffusion model's denoiser need not be told t, since the
 * share of MASK tokens in its row already says it (Zheng et al. 2024, arXiv 2409.02908). Built from the core's layers
 * alone: h = tok_emb[x] + pos_emb[l], then the blocks, the final norm and the head ({@link TransformerStack}), with
 * the blocks' residual dropout while training when asked for.
 */
public final class TimelessTransformer implements Denoiser {

    private final DenoiserConfig config;
    private final int length;
    private final Embedding tokens;
    private final Embedding positions;
    private final TransformerStack stack;
    private final List<Parameter> parameters;

    public TimelessTransformer(DenoiserConfig config, int width, int heads, int layers, double dropout,
            MatrixKernel kernel, UniformRandomProvider random) {
        this.config = config;
        this.length = config.maxLength();
        ParameterList all = new ParameterList();
        tokens = Embedding.of(kernel, all, "tok_emb", config.vocabSize(), width);
        positions = Embedding.of(kernel, all, "pos_emb", length, width);
        stack = new TransformerStack(kernel, all, length, width, heads, layers, config.vocabSize(), dropout);
        parameters = all.list();
        // PyTorch's defaults, drawn in parameter order
        Init init = Init.from(random);
        tokens.initialise(init);
        positions.initialise(init);
        stack.initialise(init);
    }

    @Override
    public DenoiserConfig config() {
        return config;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Pass newPass(int maxBatch) {
        BatchInputs inputs = new BatchInputs(maxBatch, length);
        int[] positionIds = new int[maxBatch * length];
        Arrays.setAll(positionIds, i -> i % length);
        TransformerStack.Activations trunk = stack.newActivations(maxBatch);
        return new Pass() {
            private RowRandom training; // the rows' streams while training: dropout draws from them

            @Override
            public int maxBatch() {
                return maxBatch;
            }

            @Override
            public void training(RowRandom random) {
                training = random;
            }

            @Override
            public void forward(int[] ids, float[] times, int batch, float[] logits) {
                inputs.capture(ids, times, batch); // t is captured with the ids, and never read
                tokens.lookup(ids, trunk.input(), batch * length);
                positions.addTo(positionIds, trunk.input(), batch * length);
                stack.forward(trunk, logits, batch, training);
            }

            @Override
            public void backward(float[] dLogits, Gradients gradients) {
                int batch = inputs.batch();
                stack.backward(dLogits, trunk, gradients, batch);
                tokens.backward(inputs.tokens(), trunk.inputGradient(), gradients, batch * length);
                positions.backward(positionIds, trunk.inputGradient(), gradients, batch * length);
            }
        };
    }
}
