package dev.microdiffusion.examples.plugin;

import dev.microdiffusion.core.spi.BatchInputs;
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
 * Small (about (4V + L + 3)·V parameters) and quick to train; weaker than the MLPs, which see the whole row.
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
        this.position = new Parameter("position", Parameter.Kind.BIAS, length, vocab);
        this.left = new Parameter("left", Parameter.Kind.EMBEDDING, vocab + 1, vocab);
        this.self = new Parameter("self", Parameter.Kind.EMBEDDING, vocab, vocab);
        this.right = new Parameter("right", Parameter.Kind.EMBEDDING, vocab + 1, vocab);
        this.time = new Parameter("time", Parameter.Kind.WEIGHT, vocab);
        this.parameters = List.of(position, left, self, right, time);
        for (Parameter p : parameters) {
            float[] v = p.values();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (0.02 * (random.nextDouble() * 2 - 1));
            }
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
    private int neighbour(int[] tokens, int row, int l) {
        return l < 0 || l >= length ? vocab : tokens[row * length + l];
    }

    @Override
    public Pass newPass(int maxBatch) {
        BatchInputs inputs = new BatchInputs(maxBatch, length);
        return new Pass() {
            @Override
            public int maxBatch() {
                return maxBatch;
            }

            @Override
            public void forward(int[] tokens, float[] times, int batch, float[] logits) {
                inputs.capture(tokens, times, batch);
                float[] pos = position.values();
                float[] lw = left.values();
                float[] sw = self.values();
                float[] rw = right.values();
                float[] tw = time.values();
                for (int b = 0; b < batch; b++) {
                    for (int l = 0; l < length; l++) {
                        int o = (b * length + l) * vocab;
                        int lr = neighbour(tokens, b, l - 1) * vocab;
                        int sr = tokens[b * length + l] * vocab;
                        int rr = neighbour(tokens, b, l + 1) * vocab;
                        for (int v = 0; v < vocab; v++) {
                            logits[o + v] = pos[l * vocab + v] + lw[lr + v] + sw[sr + v] + rw[rr + v] + times[b] * tw[v];
                        }
                    }
                }
            }

            @Override
            public void backward(float[] dLogits, Gradients gradients) {
                int[] tokens = inputs.tokens();
                float[] times = inputs.times();
                float[] dPosition = gradients.of(position);
                float[] dLeft = gradients.of(left);
                float[] dSelf = gradients.of(self);
                float[] dRight = gradients.of(right);
                float[] dTime = gradients.of(time);
                for (int b = 0, batch = inputs.batch(); b < batch; b++) {
                    for (int l = 0; l < length; l++) {
                        int o = (b * length + l) * vocab;
                        int lr = neighbour(tokens, b, l - 1) * vocab;
                        int sr = tokens[b * length + l] * vocab;
                        int rr = neighbour(tokens, b, l + 1) * vocab;
                        for (int v = 0; v < vocab; v++) {
                            float g = dLogits[o + v];
                            dPosition[l * vocab + v] += g;
                            dLeft[lr + v] += g;
                            dSelf[sr + v] += g;
                            dRight[rr + v] += g;
                            dTime[v] += times[b] * g;
                        }
                    }
                }
            }
        };
    }
}
