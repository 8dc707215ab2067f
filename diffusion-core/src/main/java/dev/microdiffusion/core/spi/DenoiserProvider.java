package dev.microdiffusion.core.spi;

import dev.microdiffusion.core.training.TrainingConfig;
import org.apache.commons.rng.UniformRandomProvider;

/** Makes {@link Denoiser}s; registered in {@code META-INF/services/dev.microdiffusion.core.spi.DenoiserProvider}. */
public interface DenoiserProvider extends NamedProvider {

    /**
     * {@return a denoiser with freshly initialised parameters, drawn from {@code random}}
     *
     * @param config what to build
     * @param random the initial weights' draws
     */
    Denoiser create(DenoiserConfig config, UniformRandomProvider random);

    /**
     * {@return the configuration this denoiser is built with when the user gives none: the reference's sizes}
     *
     * @param vocabSize V, from the fitted tokenizer
     */
    DenoiserConfig defaultConfig(int vocabSize);

    /** {@return the row length of {@link #defaultConfig}: the longest text kept when the user sets none} */
    default int defaultMaxLength() {
        return defaultConfig(3).maxLength();
    }

    /** {@return whether its denoisers can be conditioned on labels ({@link DenoiserConfig#labels()} above 0)} */
    default boolean takesLabels() {
        return false;
    }

    /**
     * {@return the training recipe the reference uses for this denoiser (optimiser, learning rate, clipping, steps, T);
     * a denoiser the reference does not have gets the reference MLPs' ({@link TrainingConfig#reference()})}
     */
    default TrainingConfig referenceTraining() {
        return TrainingConfig.reference();
    }

    /**
     * {@return the recipe tuned for this denoiser by measured validation NELBO, what a run trains with unless told
     * otherwise; a provider that states none gets {@link TrainingConfig#plugIn()}, which trains small models
     * sensibly}
     */
    default TrainingConfig tunedTraining() {
        return TrainingConfig.plugIn();
    }
}
