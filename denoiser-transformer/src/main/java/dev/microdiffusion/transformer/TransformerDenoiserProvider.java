package dev.microdiffusion.transformer;

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
 * The reference's Transformer ("transformer"): options {@code d_model} (64), {@code heads} (4), {@code layers} (4),
 * {@code dropout} (0: the reference has none; the probability each block's branch outputs are dropped while training),
 * and the make of a text model ({@link #POSITIONS}, {@link #TIME}, {@link #FEED_FORWARD}, {@link #INIT}; the
 * reference's by default, and a saved model names them only when given); rows of 16. Its recipe is the reference script's: PyTorch's AdamW defaults (lr 3e-4 constant, β 0.9/0.999,
 * ε 1e-8, weight decay 0.01), no clipping, 3000 steps of 64, T = 50.
 */
public final class TransformerDenoiserProvider implements DenoiserProvider {

    public static final String NAME = "transformer";
    public static final int DEFAULT_MAX_LENGTH = 16;
    public static final int DEFAULT_D_MODEL = 64;
    public static final int DEFAULT_HEADS = 4;
    public static final int DEFAULT_LAYERS = 4;
    /** The largest sizes accepted (a layer holds 12·d² weights). */
    public static final int MAX_D_MODEL = 2048;
    public static final int MAX_LAYERS = 64;
    /** The model width d. */
    public static final Setting.Whole D_MODEL = Setting.whole("d_model", DEFAULT_D_MODEL, 1, MAX_D_MODEL);
    /** Attention heads per layer; d must be a multiple of it. */
    public static final Setting.Whole HEADS = Setting.whole("heads", DEFAULT_HEADS, 1, MAX_D_MODEL);
    /** Transformer blocks. */
    public static final Setting.Whole LAYERS = Setting.whole("layers", DEFAULT_LAYERS, 1, MAX_LAYERS);
    /**
     * Residual dropout while training (0, the reference's, unless given; a saved model names it only when given).
     */
    public static final Setting.Number DROPOUT = Setting.number("dropout", 0, 0, Dropout.MAX_PROBABILITY);
    /** {@code learned} (a position embedding, the reference's) or {@code rotary}. */
    public static final Setting.Text POSITIONS = Setting.text("positions", "learned");
    /** {@code input} (the time embedding, the reference's) or {@code none} (time-agnostic). */
    public static final Setting.Text TIME = Setting.text("time", "input");
    /** {@code gelu} (4d wide, the reference's) or {@code swiglu} (8d/3 wide, gated). */
    public static final Setting.Text FEED_FORWARD = Setting.text("feed_forward", "gelu");
    /** {@code pytorch} (PyTorch's defaults, the reference's) or {@code small} (GPT-2's, N(0, 0.02²)). */
    public static final Setting.Text INIT = Setting.text("init", "pytorch");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the reference's bidirectional Transformer (d 64, 4 heads, 4 pre-norm layers, RMSNorm, GELU)";
    }

    @Override
    public Denoiser create(DenoiserConfig config, UniformRandomProvider random) {
        return new TransformerDenoiser(NAME, config, shape(config.settings()), MatrixKernels.preferred(), random);
    }

    /**
     * {@return the shape a Transformer provider's settings describe}
     *
     * @param given the settings, of {@code transformer} or {@code text-transformer}
     * @throws IllegalArgumentException naming a setting that is unknown or has a value that is not one of its choices
     */
    static TransformerShape shape(Settings given) {
        Settings s = given.requireOnly(D_MODEL, HEADS, LAYERS, DROPOUT, POSITIONS, TIME, FEED_FORWARD, INIT);
        return new TransformerShape(s.get(D_MODEL), s.get(HEADS), s.get(LAYERS), s.get(DROPOUT),
                choice(s, POSITIONS, "learned", "rotary"), !choice(s, TIME, "input", "none"),
                choice(s, FEED_FORWARD, "gelu", "swiglu"), choice(s, INIT, "pytorch", "small"));
    }

    /** Whether a two-way text setting holds its second choice; any other value is refused, naming both. */
    private static boolean choice(Settings s, Setting.Text setting, String first, String second) {
        String value = s.get(setting);
        if (!value.equals(first) && !value.equals(second)) {
            throw new IllegalArgumentException("the Transformer's " + setting.key() + " is " + first + " or " + second
                    + ", got '" + value + "'");
        }
        return value.equals(second);
    }

    /** A learned label embedding, with a null label for unconditional rows. */
    @Override
    public boolean takesLabels() {
        return true;
    }

    @Override
    public DenoiserConfig defaultConfig(int vocabSize) {
        return new DenoiserConfig(vocabSize, DEFAULT_MAX_LENGTH).with(D_MODEL, HEADS, LAYERS);
    }

    @Override
    public TrainingConfig referenceTraining() {
        return TrainingConfig.reference().toBuilder().steps(3000).diffusionSteps(50).learningRate(3e-4)
                .policy(LearningRatePolicy.CONSTANT).weightDecay(0.01).clip(ClipPolicy.NONE).build();
    }

    @Override
    public TrainingConfig tunedTraining() {
        // chosen by validation NELBO on the reference data at 10,000 steps: constant 3e-4 3.191 bits/char, cosine
        // 1e-3 3.117 (3.117 with the average, 3.117 with the MDLM objective), cosine 2e-3 with the average 3.086
        return referenceTraining().toBuilder().learningRate(2e-3).policy(LearningRatePolicy.WARMUP_COSINE_DECAY)
                .warmupSteps(200).minLearningRateFraction(0.05).emaDecay(0.999).build();
    }
}
