package dev.microdiffusion.core.internal.training;

import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.training.TrainingConfig;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.RestorableUniformRandomProvider;

/**
 * Everything a training run needs to continue exactly where it stopped: the steps done, the optimiser's moments, the
 * two random streams (which rows, which masks), the losses so far and, when the recipe averages weights, the other
 * set of weights. With the model's parameters it is what a training checkpoint holds; resuming from it gives the same
 * result as never having stopped.
 *
 * <p>With a moving average, the parameters hold the raw (optimised) weights while the run steps and the average
 * otherwise, so that a model evaluated, sampled or saved in between and after uses the average; {@link #showRaw()} and
 * {@link #showAverage()} exchange the two in place.
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
    /** The weights not in the parameters (the average while stepping, the raw ones otherwise); null without EMA. */
    private final float[][] other;
    private boolean averageShown;

    TrainingState(TrainingConfig config, AdamOptimizer optimizer, RestorableUniformRandomProvider data,
            RestorableUniformRandomProvider masks, long seed, long corpusFingerprint) {
        List<Parameter> parameters = optimizer.parameters();
        if (config.averagesWeights()) {
            other = new float[parameters.size()][];
            for (int i = 0; i < other.length; i++) {
                other[i] = parameters.get(i).values().clone();
            }
        } else {
            other = null;
        }
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

    /** Whether the recipe keeps a moving average of the weights. */
    public boolean averagesWeights() {
        return other != null;
    }

    /** Puts the raw weights into the parameters (before steps); nothing without an average. */
    public void showRaw() {
        if (other != null && averageShown) {
            exchange();
        }
    }

    /** Puts the averaged weights into the parameters (after steps); nothing without an average. */
    public void showAverage() {
        if (other != null && !averageShown) {
            exchange();
        }
    }

    /** Whether the parameters now hold the average. */
    public boolean averageShown() {
        return averageShown;
    }

    /** Parameter {@code i}'s raw weights, wherever they are now (the parameter's own array when shown). */
    public float[] rawWeights(int i) {
        return other == null || !averageShown ? optimizer.parameters().get(i).values() : other[i];
    }

    /** Parameter {@code i}'s averaged weights, wherever they are now; null without an average. */
    public float[] averagedWeights(int i) {
        if (other == null) {
            return null;
        }
        return averageShown ? optimizer.parameters().get(i).values() : other[i];
    }

    /**
     * This step's decay d of the average (checking that the raw weights are shown), or NaN when none is kept; after
     * the optimiser's update, {@link #updateAverage(int, float)} makes ā ← d·ā + (1 − d)·w parameter by parameter.
     */
    float averageDecay() {
        if (other == null) {
            return Float.NaN;
        }
        if (averageShown) {
            throw new IllegalStateException("the average is shown; the raw weights must be, to step");
        }
        return (float) config.emaDecayAt(step);
    }

    /** ā ← d·ā + (1 − d)·w for parameter {@code p}, at the decay {@link #averageDecay()} gave. */
    void updateAverage(int p, float d) {
        if (other == null) {
            return;
        }
        float c = 1 - d;
        float[] w = optimizer.parameters().get(p).values();
        float[] a = other[p];
        for (int i = 0; i < a.length; i++) {
            a[i] = d * a[i] + c * w[i];
        }
    }

    /**
     * Continues a saved run that averaged weights: the parameters (loaded with the saved average) become the average,
     * {@code raw} the weights the run steps from; then the average is shown.
     */
    public void restoreRawWeights(float[][] raw) {
        if (other == null || raw.length != other.length) {
            throw new IllegalArgumentException("raw weights for a run that keeps no average, or of another model");
        }
        List<Parameter> parameters = optimizer.parameters();
        for (int p = 0; p < other.length; p++) {
            float[] w = parameters.get(p).values();
            System.arraycopy(w, 0, other[p], 0, w.length);
            System.arraycopy(raw[p], 0, w, 0, w.length);
        }
        averageShown = false;
        showAverage();
    }

    private void exchange() {
        List<Parameter> parameters = optimizer.parameters();
        for (int p = 0; p < other.length; p++) {
            float[] w = parameters.get(p).values();
            float[] a = other[p];
            for (int i = 0; i < a.length; i++) {
                float t = w[i];
                w[i] = a[i];
                a[i] = t;
            }
        }
        averageShown = !averageShown;
    }

    void record(double loss) {
        if (step == losses.length) {
            losses = Arrays.copyOf(losses, (int) Math.min(config.steps(), 2L * losses.length));
        }
        losses[step++] = loss;
    }
}
