package dev.microdiffusion.core.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.microdiffusion.core.util.Spelling;

/** How the learning rate moves over the run. */
public enum LearningRatePolicy {
    /** The same rate at every step (the reference's Transformer). */
    CONSTANT,
    /**
     * The reference's MLP scripts: lr(s) = lr · min(1, (s + 1)/warmup) · max(floor, 1 − s/S), a linear warm-up and a
     * linear decay down to a floor fraction.
     */
    WARMUP_LINEAR_DECAY,
    /**
     * A linear warm-up, then half a cosine from the peak down to the floor fraction over the remaining steps:
     * lr(s) = lr · min(1, (s + 1)/warmup) · (floor + (1 − floor)·(1 + cos(π·q))/2), q = clamp((s − warmup)/(S − warmup)).
     */
    WARMUP_COSINE_DECAY;

    /**
     * {@return the learning rate of {@code config} at a (0-based) step}
     *
     * @param config the recipe
     * @param step the step
     */
    public double rate(TrainingConfig config, int step) {
        return switch (this) {
            case CONSTANT -> config.learningRate();
            case WARMUP_LINEAR_DECAY -> config.learningRate()
                    * Math.min(1.0, (step + 1.0) / config.warmupSteps())
                    * Math.max(config.minLearningRateFraction(), 1.0 - (double) step / config.steps());
            case WARMUP_COSINE_DECAY -> {
                double floor = config.minLearningRateFraction();
                int decaySteps = Math.max(1, config.steps() - config.warmupSteps());
                double q = Math.min(1.0, Math.max(0.0, (double) (step - config.warmupSteps()) / decaySteps));
                yield config.learningRate() * Math.min(1.0, (step + 1.0) / config.warmupSteps())
                        * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * q)));
            }
        };
    }

    /** {@return how it is spelt in settings, on the command line and in JSON} */
    @JsonValue
    public String option() {
        return Spelling.of(this);
    }

    /**
     * Reads {@link #option()} (or the constant's name), with an error listing the spellings.
     *
     * @param text the spelling
     * @return the policy
     */
    @JsonCreator
    public static LearningRatePolicy parse(String text) {
        return Spelling.parse(LearningRatePolicy.class, text, "learning-rate policy");
    }
}
