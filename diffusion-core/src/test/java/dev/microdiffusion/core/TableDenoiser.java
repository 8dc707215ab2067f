package dev.microdiffusion.core;

import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A tiny denoiser for testing core without a real model: logits[b, l, v] = bias[l, v] + emb[x[b, l], v] + t·time[v].
 * {@link #scale} multiplies the logits (a huge scale makes training diverge).
 */
final class TableDenoiser implements Denoiser {

    private final DenoiserConfig config;
    private final Parameter bias;
    private final Parameter emb;
    private final Parameter time;
    float scale = 1f;

    TableDenoiser(int vocab, int length, UniformRandomProvider random) {
        this.config = new DenoiserConfig(vocab, length);
        this.bias = new Parameter("bias", Parameter.Kind.BIAS, length, vocab);
        this.emb = new Parameter("emb", Parameter.Kind.EMBEDDING, vocab, vocab);
        this.time = new Parameter("time", Parameter.Kind.WEIGHT, vocab);
        for (Parameter p : parameters()) {
            float[] v = p.values();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (random.nextDouble() * 2 - 1);
            }
        }
    }

    @Override
    public String name() {
        return "table";
    }

    @Override
    public DenoiserConfig config() {
        return config;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(bias, emb, time);
    }

    @Override
    public Pass newPass(int maxBatch) {
        int length = config.maxLength();
        int vocab = config.vocabSize();
        return new Pass() {
            final int[] tokens = new int[maxBatch * length];
            final float[] times = new float[maxBatch];
            int batch;

            @Override
            public int maxBatch() {
                return maxBatch;
            }

            @Override
            public void forward(int[] input, float[] t, int batch, float[] logits) {
                this.batch = batch;
                System.arraycopy(input, 0, tokens, 0, batch * length);
                System.arraycopy(t, 0, times, 0, batch);
                for (int b = 0; b < batch; b++) {
                    for (int l = 0; l < length; l++) {
                        int o = (b * length + l) * vocab;
                        int x = input[b * length + l];
                        for (int v = 0; v < vocab; v++) {
                            logits[o + v] = scale * (bias.values()[l * vocab + v] + emb.values()[x * vocab + v]
                                    + t[b] * time.values()[v]);
                        }
                    }
                }
            }

            @Override
            public void backward(float[] dLogits, Gradients gradients) {
                for (int b = 0; b < batch; b++) {
                    for (int l = 0; l < length; l++) {
                        int o = (b * length + l) * vocab;
                        int x = tokens[b * length + l];
                        for (int v = 0; v < vocab; v++) {
                            float g = scale * dLogits[o + v];
                            gradients.of(bias)[l * vocab + v] += g;
                            gradients.of(emb)[x * vocab + v] += g;
                            gradients.of(time)[v] += times[b] * g;
                        }
                    }
                }
            }
        };
    }
}
