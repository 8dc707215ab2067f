package dev.microdiffusion.transformer;

import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.training.ClipPolicy;
import dev.microdiffusion.core.training.LearningRatePolicy;
import dev.microdiffusion.core.training.Objective;
import dev.microdiffusion.core.training.TrainingConfig;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The Transformer made for running text ("text-transformer"), what a run on a text uses by default: rotary positions,
 * no time input, a SwiGLU feed-forward and GPT-2's small initialisation, d 256, 4 heads, 6 layers, rows of 256. The
 * initialisation was measured both ways on Tiny Shakespeare (docs/QUALITY.md): the small one is better with windows
 * of 256 and batches of 32 (2.008 against 2.074 nats/char), PyTorch's with windows of 64 and batches of 12. The same
 * settings as "transformer" ({@link TransformerDenoiserProvider}), with these defaults; its recipe is the text recipe
 * ({@link #tunedTraining()}).
 */
public final class TextTransformerProvider implements DenoiserProvider {

    /** The provider's name. */
    public static final String NAME = "text-transformer";
    /** Rows of a text model: the window it reads. */
    public static final int DEFAULT_MAX_LENGTH = 256;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a Transformer for running text (rotary positions, no time input, SwiGLU, small init; d 256, 6 layers)";
    }

    @Override
    public Denoiser create(DenoiserConfig config, UniformRandomProvider random) {
        return new TransformerDenoiser(NAME, config, TransformerDenoiserProvider.shape(config.settings()),
                MatrixKernels.preferred(), random);
    }

    @Override
    public DenoiserConfig defaultConfig(int vocabSize) {
        return new DenoiserConfig(vocabSize, DEFAULT_MAX_LENGTH).with("d_model", 256).with("heads", 4)
                .with("layers", 6).with("positions", "rotary").with("time", "none").with("feed_forward", "swiglu")
                .with("init", "small");
    }

    /**
     * {@return the text recipe: MDLM's objective (its validation figure is the NELBO it trains on), AdamW (β 0.9/0.99,
     * weight decay 0.1) at a peak of 1e-3 after 200 warm-up steps, a cosine decay to 10 %, gradients clipped at ±1,
     * 5,000 steps of 16 windows, T = 64}
     */
    @Override
    public TrainingConfig tunedTraining() {
        return TrainingConfig.reference().toBuilder().steps(5000).batchSize(16).diffusionSteps(64).learningRate(1e-3)
                .policy(LearningRatePolicy.WARMUP_COSINE_DECAY).warmupSteps(200).minLearningRateFraction(0.1)
                .betas(0.9, 0.99).weightDecay(0.1).clip(ClipPolicy.ALL).clipValue(1.0).objective(Objective.MDLM)
                .build();
    }

    /** {@return the text recipe: there is no reference one for text} */
    @Override
    public TrainingConfig referenceTraining() {
        return tunedTraining();
    }
}
