package dev.microdiffusion.examples.plugin;

import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.Setting;
import dev.microdiffusion.core.spi.Settings;
import dev.microdiffusion.core.training.TrainingConfig;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Registers {@link DigitTransformer} as "digit-transformer": partial masking, for the rows of the {@code
 * char-digits-ℓ} tokenizers. Settings {@code digits} (ℓ, the tokenizer's: 3 by default), {@code d_model}, {@code
 * heads}, {@code layers}, {@code dropout} as the time-agnostic Transformer's; rows of 16 characters (48 digits by
 * default); the built-in Transformer's recipes. A run pairs it with the tokenizer of as many digits:
 * {@code TrainingRun.builder(names).tokenizer("char-digits-3").denoiser("digit-transformer")}.
 */
public final class DigitTransformerProvider implements DenoiserProvider {

    /** ℓ, digits per character: the tokenizer's. */
    public static final Setting.Whole DIGITS = Setting.whole("digits", 3, 1, 16);
    /** Characters per row when the run sets no row length. */
    static final int CHARACTERS = 16;

    private final TimelessTransformerProvider trunk = new TimelessTransformerProvider();

    @Override
    public String name() {
        return "digit-transformer";
    }

    @Override
    public String description() {
        return "example plug-in: partial masking (MDM-Prime) over the char-digits-N tokenizers' digits";
    }

    @Override
    public Denoiser create(DenoiserConfig config, UniformRandomProvider random) {
        Settings s = config.settings().requireOnly(DIGITS, TimelessTransformerProvider.D_MODEL,
                TimelessTransformerProvider.HEADS, TimelessTransformerProvider.LAYERS,
                TimelessTransformerProvider.DROPOUT);
        return new DigitTransformer(config, s.get(DIGITS), s.get(TimelessTransformerProvider.D_MODEL),
                s.get(TimelessTransformerProvider.HEADS), s.get(TimelessTransformerProvider.LAYERS),
                s.get(TimelessTransformerProvider.DROPOUT), MatrixKernels.preferred(), random);
    }

    @Override
    public DenoiserConfig defaultConfig(int vocabSize) {
        return new DenoiserConfig(vocabSize, CHARACTERS * DIGITS.defaultValue()).with(DIGITS,
                TimelessTransformerProvider.D_MODEL, TimelessTransformerProvider.HEADS,
                TimelessTransformerProvider.LAYERS);
    }

    @Override
    public int tokensPerCharacter(DenoiserConfig config) {
        return config.settings().get(DIGITS);
    }

    /** The built-in Transformer's, as the time-agnostic one's. */
    @Override
    public TrainingConfig referenceTraining() {
        return trunk.referenceTraining();
    }

    /** The built-in Transformer's tuned recipe, so that partial masking compares at the same budget. */
    @Override
    public TrainingConfig tunedTraining() {
        return trunk.tunedTraining();
    }
}
