package dev.microdiffusion.core.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.microdiffusion.core.internal.Spelling;

/** How the learning rate moves over the run. */
public enum LearningRatePolicy {
    /** The same rate at every step (the reference's Transformer). */
    CONSTANT,
    /**
     * The reference's MLP scripts: lr(s) = lr · min(1, (s + 1)/warmup) · max(floor, 1 − s/S), a linear warm-up and a
     * linear decay down to a floor fraction.
     */
    WARMUP_LINEAR_DECAY;

    public double rate(TrainingConfig config, int step) {
        return switch (this) {
            case CONSTANT -> config.learningRate();
            case WARMUP_LINEAR_DECAY -> config.learningRate()
                    * Math.min(1.0, (step + 1.0) / config.warmupSteps())
                    * Math.max(config.minLearningRateFraction(), 1.0 - (double) step / config.steps());
        };
    }

    /** How it is spelt in settings, on the command line and in JSON. */
    @JsonValue
    public String option() {
        return Spelling.of(this);
    }

    /** Reads {@link #option()} (or the constant's name), with an error listing the spellings. */
    @JsonCreator
    public static LearningRatePolicy parse(String text) {
        return Spelling.parse(LearningRatePolicy.class, text, "learning-rate policy");
    }
}
