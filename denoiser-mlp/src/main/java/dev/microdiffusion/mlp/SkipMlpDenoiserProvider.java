package dev.microdiffusion.mlp;

import dev.microdiffusion.core.training.ClipPolicy;

/**
 * The reference's 3-layer MLP with a skip connection ("mlp-skip"): h1 = ReLU(x·W1 + b1),
 * h2 = ReLU(h1·W2 + b2) + h1, logits = h2·W3 + b3; Xavier-normal weights, every gradient clipped.
 */
public final class SkipMlpDenoiserProvider extends MlpDenoiserProvider {

    public static final String NAME = "mlp-skip";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the reference's 3-layer MLP with a skip connection (h2 = ReLU(z2) + h1), Xavier init";
    }

    @Override
    protected int depth() {
        return 2;
    }

    @Override
    protected MlpDenoiser.Scheme scheme() {
        return MlpDenoiser.Scheme.XAVIER;
    }

    @Override
    protected ClipPolicy clip() {
        return ClipPolicy.ALL;
    }
}
