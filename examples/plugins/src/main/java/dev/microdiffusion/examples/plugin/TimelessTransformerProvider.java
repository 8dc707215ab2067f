package dev.microdiffusion.examples.plugin;

import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.nn.Dropout;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.Setting;
import dev.microdiffusion.core.spi.Settings;
import dev.microdiffusion.core.training.ClipPolicy;
import dev.microdiffusion.core.training.LearningRatePolicy;
import dev.microdiffusion.core.training.TrainingConfig;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Registers {@link TimelessTransformer} as "timeless-transformer", with the built-in Transformer's sizes (settings
 * {@code d_model}, {@code heads}, {@code layers}, {@code dropout}), rows and tuned recipe, so that the two compare at
 * the same budget.
 */
public final class TimelessTransformerProvider implements DenoiserProvider {

    /** The model width d. */
    public static final Setting.Whole D_MODEL = Setting.whole("d_model", 64, 1, 2048);
    /** Attention heads, dividing d. */
    public static final Setting.Whole HEADS = Setting.whole("heads", 4, 1, 2048);
    /** Transformer blocks. */
    public static final Setting.Whole LAYERS = Setting.whole("layers", 4, 1, 64);
    /** Residual dropout while training (0: none). */
    public static final Setting.Number DROPOUT = Setting.number("dropout", 0, 0, Dropout.MAX_PROBABILITY);

    @Override
    public String name() {
        return "timeless-transformer";
    }

    @Override
    public String description() {
        return "example plug-in: the reference Transformer with no time input (Zheng et al. 2024)";
    }

    @Override
    public Denoiser create(DenoiserConfig config, UniformRandomProvider random) {
        Settings s = config.settings().requireOnly(D_MODEL, HEADS, LAYERS, DROPOUT);
        return new TimelessTransformer(config, s.get(D_MODEL), s.get(HEADS), s.get(LAYERS), s.get(DROPOUT),
                MatrixKernels.preferred(), random);
    }

    @Override
    public DenoiserConfig defaultConfig(int vocabSize) {
        return new DenoiserConfig(vocabSize, 16).with(D_MODEL, HEADS, LAYERS);
    }

    /** The built-in Transformer's: PyTorch's AdamW defaults at 3e-4, no clipping, 3,000 steps, T = 50. */
    @Override
    public TrainingConfig referenceTraining() {
        return TrainingConfig.reference().toBuilder().steps(3000).diffusionSteps(50).learningRate(3e-4)
                .policy(LearningRatePolicy.CONSTANT).weightDecay(0.01).clip(ClipPolicy.NONE).build();
    }

    /** The built-in Transformer's tuned recipe: cosine from 2e-3 after 200 warm-up steps, averaged weights. */
    @Override
    public TrainingConfig tunedTraining() {
        return referenceTraining().toBuilder().learningRate(2e-3).policy(LearningRatePolicy.WARMUP_COSINE_DECAY)
                .warmupSteps(200).minLearningRateFraction(0.05).emaDecay(0.999).build();
    }
}
