package dev.microdiffusion.examples.plugin;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.nn.BatchInputs;
import dev.microdiffusion.core.nn.Conv1d;
import dev.microdiffusion.core.nn.Embedding;
import dev.microdiffusion.core.nn.Init;
import dev.microdiffusion.core.nn.Linear;
import dev.microdiffusion.core.nn.ParameterList;
import dev.microdiffusion.core.nn.RmsNorm;
import dev.microdiffusion.core.nn.Rows;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A convolutional denoiser from the core's layers: h = tok_emb[x]; per block h += W·GELU(conv(norm(h))) with a
 * width-k convolution along the row, each block widening what a position sees by k − 1; logits = lm_head(norm_f(h)).
 * No attention and, like {@link TimelessTransformer}, no time input: the row's MASK tokens say how far it is.
 */
public final class ConvolutionDenoiser implements Denoiser {

    private final DenoiserConfig config;
    private final MatrixKernel kernel;
    private final int length;
    private final int width;
    private final Embedding tokens;
    private final RmsNorm[] norms;
    private final Conv1d[] convs;
    private final Linear[] projections;
    private final RmsNorm normF;
    private final Linear head;
    private final List<Parameter> parameters;

    public ConvolutionDenoiser(DenoiserConfig config, int width, int blocks, int size, MatrixKernel kernel,
            UniformRandomProvider random) {
        this.config = config;
        this.kernel = kernel;
        this.length = config.maxLength();
        this.width = width;
        ParameterList all = new ParameterList();
        tokens = Embedding.of(kernel, all, "tok_emb", config.vocabSize(), width);
        norms = new RmsNorm[blocks];
        convs = new Conv1d[blocks];
        projections = new Linear[blocks];
        for (int i = 0; i < blocks; i++) {
            norms[i] = new RmsNorm(kernel, all, "blocks." + i + ".norm", width);
            convs[i] = new Conv1d(kernel, all, "blocks." + i + ".conv", length, width, 2 * width, size, true);
            projections[i] = Linear.of(kernel, all, "blocks." + i + ".proj", 2 * width, width, true);
        }
        normF = new RmsNorm(kernel, all, "norm_f", width);
        head = Linear.of(kernel, all, "lm_head", width, config.vocabSize(), false);
        parameters = all.list();
        Init init = Init.from(random);
        tokens.initialise(init);
        for (int i = 0; i < blocks; i++) {
            norms[i].initialise();
            convs[i].initialise(init);
            projections[i].initialise(init);
        }
        normF.initialise();
        head.initialise(init);
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
        int rows = maxBatch * length;
        int blocks = convs.length;
        BatchInputs inputs = new BatchInputs(maxBatch, length);
        float[][] stream = new float[blocks + 1][rows * width]; // the residual stream before each block and after
        float[][] normed = new float[blocks + 1][rows * width];
        float[][] r = new float[blocks + 1][rows];
        Conv1d.Activations[] windows = new Conv1d.Activations[blocks];
        Arrays.setAll(windows, i -> convs[i].newActivations(maxBatch));
        float[][] wide = new float[blocks][rows * 2 * width];
        float[][] activated = new float[blocks][rows * 2 * width];
        float[] scratch = new float[rows * width];
        float[] dStream = new float[rows * width];
        float[] dWide = new float[rows * 2 * width];
        return new Pass() {
            @Override
            public int maxBatch() {
                return maxBatch;
            }

            @Override
            public void forward(int[] ids, float[] times, int batch, float[] logits) {
                inputs.capture(ids, times, batch); // t is captured with the ids, and never read
                int n = batch * length;
                tokens.lookup(ids, stream[0], n);
                for (int i = 0; i < blocks; i++) {
                    norms[i].forward(stream[i], normed[i], r[i], n);
                    convs[i].forward(normed[i], wide[i], windows[i], batch);
                    kernel.gelu(wide[i], activated[i], n * 2 * width);
                    projections[i].forward(activated[i], scratch, n);
                    Rows.add(stream[i], scratch, stream[i + 1], n * width);
                }
                normF.forward(stream[blocks], normed[blocks], r[blocks], n);
                head.forward(normed[blocks], logits, n);
            }

            @Override
            public void backward(float[] dLogits, Gradients gradients) {
                int batch = inputs.batch();
                int n = batch * length;
                Arrays.fill(dStream, 0, n * width, 0f);
                head.backward(dLogits, normed[blocks], scratch, gradients, n);
                normF.backward(scratch, stream[blocks], r[blocks], dStream, gradients, n);
                for (int i = blocks - 1; i >= 0; i--) {
                    // stream[i + 1] = stream[i] + proj(GELU(conv(norm(stream[i])))): both ways reach stream[i]
                    projections[i].backward(dStream, activated[i], dWide, gradients, n);
                    kernel.geluBackward(wide[i], dWide, dWide, n * 2 * width);
                    convs[i].backward(dWide, scratch, windows[i], gradients, batch);
                    norms[i].backward(scratch, stream[i], r[i], dStream, gradients, n);
                }
                tokens.backward(inputs.tokens(), dStream, gradients, n);
            }
        };
    }
}
