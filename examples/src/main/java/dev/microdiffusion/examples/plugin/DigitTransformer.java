package dev.microdiffusion.examples.plugin;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.nn.DigitMarginals;
import dev.microdiffusion.core.nn.Embedding;
import dev.microdiffusion.core.nn.Init;
import dev.microdiffusion.core.nn.ParameterList;
import dev.microdiffusion.core.nn.TransformerStack;
import dev.microdiffusion.core.spi.BatchInputs;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.spi.RowRandom;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Partial masking's denoiser (MDM-Prime, arXiv 2505.18495) for rows of a digit tokenizer ({@code char-digits-ℓ}):
 * each character is ℓ digits of base b, any of them masked. The time-agnostic Transformer over characters, not
 * digits — a character's input is the sum of one embedding per digit place (each place with its own table over the b
 * digits and MASK), plus its position's — whose head gives logits over the character's b<sup>ℓ</sup> codes; {@link
 * DigitMarginals} turns them into each masked digit's probabilities given the character's known digits.
 *
 * <pre>
 *   h[n, i]      = Σ_j dig_emb[j·(b+1) + y[n, i·ℓ + j]] + pos_emb[i]        [B, L, d], L = row length / ℓ
 *   z            = lm_head(norm_f(blocks(h)))                              [B, L, b^ℓ]
 *   logits[n, k] = log P(digit k = · | the known digits of its character)   [B, L·ℓ, b+1]
 * </pre>
 */
public final class DigitTransformer implements Denoiser {

    private final DenoiserConfig config;
    private final int digits;
    private final int base;
    private final int characters;
    private final Embedding digitEmbedding;
    private final Embedding positions;
    private final TransformerStack stack;
    private final DigitMarginals marginals;
    private final List<Parameter> parameters;

    /**
     * @param config  V = b + 1 (MASK last) and a row length of ℓ digits per character
     * @param digits  ℓ, as the tokenizer writes them
     * @param width   d
     * @param heads   attention heads
     * @param layers  blocks
     * @param dropout the blocks' residual dropout while training
     * @param kernel  the kernel
     * @param random  the initial weights' generator
     * @throws IllegalArgumentException if the rows are not whole characters of ℓ digits
     */
    public DigitTransformer(DenoiserConfig config, int digits, int width, int heads, int layers, double dropout,
            MatrixKernel kernel, UniformRandomProvider random) {
        if (config.maxLength() % digits != 0) {
            throw new IllegalArgumentException("rows of " + config.maxLength() + " digits are not whole characters of "
                    + digits + " digits: pair the digit-transformer with the char-digits-" + digits + " tokenizer");
        }
        this.config = config;
        this.digits = digits;
        this.base = config.vocabSize() - 1;
        this.characters = config.maxLength() / digits;
        this.marginals = new DigitMarginals(base, digits);
        ParameterList all = new ParameterList();
        digitEmbedding = Embedding.of(kernel, all, "dig_emb", digits * (base + 1), width);
        positions = Embedding.of(kernel, all, "pos_emb", characters, width);
        stack = new TransformerStack(kernel, all, characters, width, heads, layers, marginals.codes(), dropout);
        parameters = all.list();
        Init init = Init.from(random);
        digitEmbedding.initialise(init);
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
        int length = config.maxLength();
        int cells = maxBatch * characters;
        BatchInputs inputs = new BatchInputs(maxBatch, length);
        int[] positionIds = new int[cells];
        Arrays.setAll(positionIds, i -> i % characters);
        // per digit place, each character's row of the embedding table
        int[][] placeIds = new int[digits][cells];
        float[] codeLogits = new float[cells * marginals.codes()];
        float[] dCodeLogits = new float[cells * marginals.codes()];
        DigitMarginals.Activations kept = marginals.newActivations(cells);
        TransformerStack.Activations trunk = stack.newActivations(maxBatch);
        return new Pass() {
            private RowRandom training;

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
                inputs.capture(ids, times, batch); // time-agnostic: t is never read
                int n = batch * characters;
                for (int c = 0; c < n; c++) {
                    for (int j = 0; j < digits; j++) {
                        int id = ids[c * digits + j];
                        if (id < 0 || id > base) {
                            throw new IllegalArgumentException("id " + id + " is neither a digit of base " + base
                                    + " nor MASK");
                        }
                        placeIds[j][c] = j * (base + 1) + id;
                    }
                }
                digitEmbedding.lookup(placeIds[0], trunk.input(), n);
                for (int j = 1; j < digits; j++) {
                    digitEmbedding.addTo(placeIds[j], trunk.input(), n);
                }
                positions.addTo(positionIds, trunk.input(), n);
                stack.forward(trunk, codeLogits, batch, training);
                marginals.forward(codeLogits, ids, n, logits, kept);
            }

            @Override
            public void backward(float[] dLogits, Gradients gradients) {
                int batch = inputs.batch();
                int n = batch * characters;
                marginals.backward(dLogits, kept, n, dCodeLogits);
                stack.backward(dCodeLogits, trunk, gradients, batch);
                for (int j = 0; j < digits; j++) {
                    digitEmbedding.backward(placeIds[j], trunk.inputGradient(), gradients, n);
                }
                positions.backward(positionIds, trunk.inputGradient(), gradients, n);
            }
        };
    }
}
