package dev.microdiffusion.examples.plugin;

import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.training.LearningRatePolicy;
import dev.microdiffusion.core.training.TrainingConfig;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Registers {@link NeighbourDenoiser} as "neighbour": the file
 * {@code META-INF/services/dev.microdiffusion.core.spi.DenoiserProvider} of this module names this class, and from then
 * on {@code train --denoiser neighbour} and {@code Registry.find(DenoiserProvider.class, "neighbour")} find it.
 */
public final class NeighbourDenoiserProvider implements DenoiserProvider {

    @Override
    public String name() {
        return "neighbour";
    }

    @Override
    public String description() {
        return "example plug-in: each position sees only itself and its two neighbours";
    }

    @Override
    public Denoiser create(DenoiserConfig config, UniformRandomProvider random) {
        return new NeighbourDenoiser(config, random);
    }

    @Override
    public DenoiserConfig defaultConfig(int vocabSize) {
        return new DenoiserConfig(vocabSize, 12);
    }

    /** A table model learns faster than an MLP: a higher constant rate and fewer steps suit it. */
    @Override
    public TrainingConfig tunedTraining() {
        return TrainingConfig.reference().toBuilder().steps(2000).learningRate(1e-2)
                .policy(LearningRatePolicy.CONSTANT).build();
    }
}
