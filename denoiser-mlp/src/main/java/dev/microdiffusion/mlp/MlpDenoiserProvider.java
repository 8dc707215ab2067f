package dev.microdiffusion.mlp;

import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.Setting;
import dev.microdiffusion.core.training.ClipPolicy;
import dev.microdiffusion.core.training.LearningRatePolicy;
import dev.microdiffusion.core.training.TrainingConfig;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The reference's 2-layer MLP ("mlp"): one-hot ‖ t → Linear(256) → ReLU → Linear(L·V), He-normal weights; trained
 * with only the weight matrices' gradients clipped, as the reference's script does. Option {@code hidden} (256).
 */
public class MlpDenoiserProvider implements DenoiserProvider {

    public static final String NAME = "mlp";
    public static final int DEFAULT_MAX_LENGTH = 12;
    public static final int DEFAULT_HIDDEN = 256;
    /** The widest hidden layer accepted: W1 alone holds (L·V + 1) × hidden floats. */
    public static final int MAX_HIDDEN = 16_384;
    /** The width of the hidden layers. */
    public static final Setting.Whole HIDDEN = Setting.whole("hidden", DEFAULT_HIDDEN, 1, MAX_HIDDEN);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the reference's 2-layer MLP (one-hot + t -> 256 -> ReLU -> L*V), He init";
    }

    /** Hidden layers: 1 here, 2 (with a skip connection) for "mlp-skip". */
    protected int depth() {
        return 1;
    }

    protected MlpDenoiser.Scheme scheme() {
        return MlpDenoiser.Scheme.HE;
    }

    protected ClipPolicy clip() {
        return ClipPolicy.WEIGHTS;
    }

    @Override
    public Denoiser create(DenoiserConfig config, UniformRandomProvider random) {
        int hidden = config.settings().requireOnly(HIDDEN).get(HIDDEN);
        return new MlpDenoiser(name(), config, hidden, depth(), scheme(),
                MatrixKernels.preferred(), random);
    }

    /** A learned label embedding, with a null label for unconditional rows. */
    @Override
    public boolean takesLabels() {
        return true;
    }

    @Override
    public DenoiserConfig defaultConfig(int vocabSize) {
        return new DenoiserConfig(vocabSize, DEFAULT_MAX_LENGTH).with(HIDDEN);
    }

    @Override
    public TrainingConfig referenceTraining() {
        return TrainingConfig.reference().toBuilder().clip(clip()).build();
    }

    @Override
    public TrainingConfig tunedTraining() {
        // chosen by validation NELBO at 5,000 steps (RecipeSweep; benchmarks/RESULTS.md): on the reference data the
        // reference recipe gives 3.256 (mlp) and 3.246 (mlp-skip) bits/char, cosine to 5 % at 1e-3 3.178 / 3.182,
        // at 3e-3 3.132 / 3.140, at 5e-3 3.126 / 3.118
        return referenceTraining().toBuilder().learningRate(5e-3).policy(LearningRatePolicy.WARMUP_COSINE_DECAY)
                .minLearningRateFraction(0.05).emaDecay(0.999).build();
    }
}
