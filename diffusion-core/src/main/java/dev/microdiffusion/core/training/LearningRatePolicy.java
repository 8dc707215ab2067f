package dev.microdiffusion.core.training;

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
}
