package dev.microdiffusion.mlp;

import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import java.util.List;

/** A denoiser whose backward is wrong by a factor: the gradient check must reject it. */
final class ScaledBackward implements Denoiser {

    private final Denoiser inner;
    private final float factor;

    ScaledBackward(Denoiser inner, float factor) {
        this.inner = inner;
        this.factor = factor;
    }

    @Override
    public String name() {
        return "scaled";
    }

    @Override
    public DenoiserConfig config() {
        return inner.config();
    }

    @Override
    public List<Parameter> parameters() {
        return inner.parameters();
    }

    @Override
    public Pass newPass(int maxBatch) {
        Pass pass = inner.newPass(maxBatch);
        return new Pass() {
            @Override
            public int maxBatch() {
                return maxBatch;
            }

            @Override
            public void forward(int[] tokens, float[] times, int batch, float[] logits) {
                pass.forward(tokens, times, batch, logits);
            }

            @Override
            public void backward(float[] dLogits, Gradients gradients) {
                float[] scaled = dLogits.clone();
                for (int i = 0; i < scaled.length; i++) {
                    scaled[i] *= factor;
                }
                pass.backward(scaled, gradients);
            }
        };
    }
}
