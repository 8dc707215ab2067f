package dev.microdiffusion.core.internal.training;

import dev.microdiffusion.core.training.TrainingConfig;
import java.util.Arrays;
import org.apache.commons.rng.RestorableUniformRandomProvider;

/**
 * Everything a training run needs to continue exactly where it stopped: the steps done, the optimiser's moments, the
 * two random streams (which rows, which masks) and the losses so far. With the model's parameters it is what a
 * training checkpoint holds; resuming from it gives the same result as never having stopped.
 */
public final class TrainingState {

    private final TrainingConfig config;
    private final AdamOptimizer optimizer;
    private final RestorableUniformRandomProvider data;
    private final RestorableUniformRandomProvider masks;
    /** The losses so far; grows as the run goes (a run of many steps allocates as it takes them). */
    private double[] losses;
    private final long seed;
    private final long corpusFingerprint;
    private int step;

    TrainingState(TrainingConfig config, AdamOptimizer optimizer, RestorableUniformRandomProvider data,
            RestorableUniformRandomProvider masks, long seed, long corpusFingerprint) {
        this.config = config;
        this.optimizer = optimizer;
        this.data = data;
        this.masks = masks;
        this.losses = new double[Math.min(config.steps(), 1024)];
        this.seed = seed;
        this.corpusFingerprint = corpusFingerprint;
    }

    public TrainingConfig config() {
        return config;
    }

    /** Steps completed. */
    public int step() {
        return step;
    }

    public boolean finished() {
        return step >= config.steps();
    }

    public AdamOptimizer optimizer() {
        return optimizer;
    }

    /** The stream that picks corpus rows. */
    public RestorableUniformRandomProvider dataRandom() {
        return data;
    }

    /** The stream that picks k and the masks. */
    public RestorableUniformRandomProvider maskRandom() {
        return masks;
    }

    public long seed() {
        return seed;
    }

    /** Identifies the corpus trained on; resuming on another corpus is refused. */
    public long corpusFingerprint() {
        return corpusFingerprint;
    }

    /** The losses of the steps done so far (a copy). */
    public double[] losses() {
        return Arrays.copyOf(losses, step);
    }

    /** Restores the step count and the losses of a saved run (the optimiser and streams are restored in place). */
    public void restore(int steps, double[] savedLosses) {
        if (steps < 0 || steps > config.steps() || savedLosses.length != steps) {
            throw new IllegalArgumentException("a saved state of " + steps + " steps with " + savedLosses.length
                    + " losses does not fit a run of " + config.steps() + " steps");
        }
        if (losses.length < steps) {
            losses = Arrays.copyOf(losses, steps);
        }
        System.arraycopy(savedLosses, 0, losses, 0, steps);
        this.step = steps;
        optimizer.restoreSteps(steps);
    }

    void record(double loss) {
        if (step == losses.length) {
            losses = Arrays.copyOf(losses, (int) Math.min(config.steps(), 2L * losses.length));
        }
        losses[step++] = loss;
    }
}
