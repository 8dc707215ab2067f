package dev.microdiffusion.examples.plugin;

import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.Setting;
import dev.microdiffusion.core.spi.Settings;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Registers {@link ConvolutionDenoiser} as "convolution" (settings {@code width}, {@code blocks}, {@code kernel}); it
 * states no recipe, so it trains with the plug-in default ({@code TrainingConfig.plugIn()}).
 */
public final class ConvolutionDenoiserProvider implements DenoiserProvider {

    /** Channels of the residual stream. */
    public static final Setting.Whole WIDTH = Setting.whole("width", 64, 1, 2048);
    /** Convolution blocks. */
    public static final Setting.Whole BLOCKS = Setting.whole("blocks", 4, 1, 64);
    /** The convolution's width k, odd. */
    public static final Setting.Whole KERNEL = Setting.whole("kernel", 3, 1, 31);

    @Override
    public String name() {
        return "convolution";
    }

    @Override
    public String description() {
        return "example plug-in: residual 1-D convolutions along the row, no attention, no time input";
    }

    @Override
    public Denoiser create(DenoiserConfig config, UniformRandomProvider random) {
        Settings s = config.settings().requireOnly(WIDTH, BLOCKS, KERNEL);
        return new ConvolutionDenoiser(config, s.get(WIDTH), s.get(BLOCKS), s.get(KERNEL), MatrixKernels.preferred(),
                random);
    }

    @Override
    public DenoiserConfig defaultConfig(int vocabSize) {
        return new DenoiserConfig(vocabSize, 16).with(WIDTH, BLOCKS, KERNEL);
    }
}
