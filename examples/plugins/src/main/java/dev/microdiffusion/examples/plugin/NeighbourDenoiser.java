package dev.microdiffusion.examples.plugin;

import dev.microdiffusion.core.nn.BatchInputs;
import dev.microdiffusion.core.nn.Init;
import dev.microdiffusion.core.nn.IntTensor2;
import dev.microdiffusion.core.nn.ParameterList;
import dev.microdiffusion.core.nn.Tensor2;
import dev.microdiffusion.core.nn.Tensor3;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * An example of a third-party denoiser, plugged in through {@link NeighbourDenoiserProvider} and a
 * {@code META-INF/services} entry, with no change to the framework. Each position looks only at itself and its two
 * neighbours:
 * <pre>
 *   logits[b, l] = position[l] + left[x[b, l−1]] + self[x[b, l]] + right[x[b, l+1]] + t·time
 * </pre>
 * where every term is a learned row of V logits and a neighbour outside the row reads the extra "edge" row V.
 * Small (about (4V + L + 3)·V parameters) and quick to train; weaker than the MLPs, which see the whole row. Built
 * from the toolkit's parts ({@code dev.microdiffusion.core.nn}): parameters registered by name, initial weights drawn
 * by {@link Init}, and shape-checked views instead of index arithmetic.
 */
public final class NeighbourDenoiser implements Denoiser {

    private final DenoiserConfig config;
    private final int length;
    private final int vocab;
    private final Parameter position;
    private final Parameter left;
    private final Parameter self;
    private final Parameter right;
    private final Parameter time;
    private final List<Parameter> parameters;

    public NeighbourDenoiser(DenoiserConfig config, UniformRandomProvider random) {
        this.config = config;
        this.length = config.maxLength();
        this.vocab = config.vocabSize();
        ParameterList all = new ParameterList();
        this.position = all.add("position", Parameter.Kind.BIAS, length, vocab);
        this.left = all.add("left", Parameter.Kind.EMBEDDING, vocab + 1, vocab);
        this.self = all.add("self", Parameter.Kind.EMBEDDING, vocab, vocab);
        this.right = all.add("right", Parameter.Kind.EMBEDDING, vocab + 1, vocab);
        this.time = all.add("time", Parameter.Kind.WEIGHT, vocab);
        this.parameters = all.list();
        Init init = Init.from(random);
        for (Parameter p : parameters) {
            init.uniform(p, 0.02);
        }
    }

    @Override
    public DenoiserConfig config() {
        return config;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The id whose row a neighbour at {@code l} reads: its token, or the edge row outside the canvas. */
    private int neighbour(IntTensor2 tokens, int row, int l) {
        return l < 0 || l >= length ? vocab : tokens.get(row, l);
    }

    private static Tensor2 table(float[] values, int vocab) {
        return Tensor2.of(values, values.length / vocab, vocab);
    }

    @Override
    public Pass newPass(int maxBatch) {
        BatchInputs inputs = new BatchInputs(maxBatch, length);
        // views of the live parameter tables, made once per pass
        Tensor2 pos = table(position.values(), vocab);
        Tensor2 lw = table(left.values(), vocab);
        Tensor2 sw = table(self.values(), vocab);
        Tensor2 rw = table(right.values(), vocab);
        Tensor2 tw = table(time.values(), vocab);
        return new Pass() {
            @Override
            public int maxBatch() {
                return maxBatch;
            }

            @Override
            public void forward(int[] tokenIds, float[] times, int batch, float[] logitValues) {
                inputs.capture(tokenIds, times, batch);
                IntTensor2 tokens = IntTensor2.of(tokenIds, batch, length);
                Tensor3 logits = Tensor3.of(logitValues, batch, length, vocab);
                for (int b = 0; b < batch; b++) {
                    for (int l = 0; l < length; l++) {
                        int lr = neighbour(tokens, b, l - 1);
                        int sr = tokens.get(b, l);
                        int rr = neighbour(tokens, b, l + 1);
                        for (int v = 0; v < vocab; v++) {
                            logits.set(b, l, v, pos.get(l, v) + lw.get(lr, v) + sw.get(sr, v) + rw.get(rr, v)
                                    + times[b] * tw.get(0, v));
                        }
                    }
                }
            }

            @Override
            public void backward(float[] dLogitValues, Gradients gradients) {
                int batch = inputs.batch();
                IntTensor2 tokens = IntTensor2.of(inputs.tokens(), batch, length);
                float[] times = inputs.times();
                Tensor3 dLogits = Tensor3.of(dLogitValues, batch, length, vocab);
                Tensor2 dPosition = table(gradients.of(position), vocab);
                Tensor2 dLeft = table(gradients.of(left), vocab);
                Tensor2 dSelf = table(gradients.of(self), vocab);
                Tensor2 dRight = table(gradients.of(right), vocab);
                Tensor2 dTime = table(gradients.of(time), vocab);
                for (int b = 0; b < batch; b++) {
                    for (int l = 0; l < length; l++) {
                        int lr = neighbour(tokens, b, l - 1);
                        int sr = tokens.get(b, l);
                        int rr = neighbour(tokens, b, l + 1);
                        for (int v = 0; v < vocab; v++) {
                            float g = dLogits.get(b, l, v);
                            dPosition.add(l, v, g);
                            dLeft.add(lr, v, g);
                            dSelf.add(sr, v, g);
                            dRight.add(rr, v, g);
                            dTime.add(0, v, times[b] * g);
                        }
                    }
                }
            }
        };
    }
}
