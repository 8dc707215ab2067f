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
     * {@return the training recipe the reference uses for this denoiser (optimiser, learning rate, clipping, steps, T)}
     */
    default TrainingConfig referenceTraining() {
        return TrainingConfig.reference();
    }

    /**
     * {@return the recipe tuned for this denoiser by measured validation NELBO, for the same number of steps as {@link
     * #referenceTraining()} unless said otherwise; a provider without one trains with its reference recipe}
     */
    default TrainingConfig tunedTraining() {
        return referenceTraining();
    }
}
