package dev.microdiffusion.core.internal.training;

import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.training.TrainingConfig;
import java.util.List;

/**
 * Adam (Kingma and Ba) with bias correction and optional decoupled weight decay (AdamW, Loshchilov and Hutter):
 * w ← w·(1 − lr·λ); m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; w ← w − lr·m̂/(√v̂ + ε), with
 * m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t) and t the 1-based step count.
 */
public final class AdamOptimizer {

    private final List<Parameter> parameters;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final float[][] firstMoments;
    private final float[][] secondMoments;
    private long step;

    public AdamOptimizer(List<Parameter> parameters, double beta1, double beta2, double epsilon, double weightDecay) {
        this.parameters = List.copyOf(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.firstMoments = new float[parameters.size()][];
        this.secondMoments = new float[parameters.size()][];
        for (int i = 0; i < parameters.size(); i++) {
            firstMoments[i] = new float[parameters.get(i).size()];
            secondMoments[i] = new float[parameters.get(i).size()];
        }
    }

    public static AdamOptimizer of(List<Parameter> parameters, TrainingConfig config) {
        return new AdamOptimizer(parameters, config.beta1(), config.beta2(), config.epsilon(), config.weightDecay());
    }

    // this update's constants, fixed by begin() for update(); see step()
    private float decay;
    private float b1;
    private float b2;
    private float c1;
    private float c2;
    private float stepSize;
    private float rootCorrection2;
    private float eps;

    /** Updates every parameter from its current gradient. */
    public void step(double learningRate) {
        begin(learningRate);
        for (int p = 0; p < parameters.size(); p++) {
            update(p);
        }
    }

    /**
     * Starts an update: counts it and fixes its constants. Then {@link #update} each parameter once, from any threads,
     * each parameter on one (the caller orders begin before the updates, as an executor's submission does).
     */
    public void begin(double learningRate) {
        step++;
        double correction1 = 1.0 - Math.pow(beta1, step);
        double correction2 = 1.0 - Math.pow(beta2, step);
        decay = (float) (1.0 - learningRate * weightDecay);
        b1 = (float) beta1;
        b2 = (float) beta2;
        c1 = (float) (1.0 - beta1);
        c2 = (float) (1.0 - beta2);
        // lr·m̂/(√v̂ + ε) = (lr/c1)·m / (√v/√c2 + ε)
        stepSize = (float) (learningRate / correction1);
        rootCorrection2 = (float) Math.sqrt(correction2);
        eps = (float) epsilon;
    }

    /** Updates parameter {@code p} (its index in {@link #parameters()}) in the update {@link #begin} started. */
    public void update(int p) {
        float[] w = parameters.get(p).values();
        float[] g = parameters.get(p).gradient();
        float[] m = firstMoments[p];
        float[] v = secondMoments[p];
        for (int i = 0; i < w.length; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            float wi = weightDecay == 0 ? w[i] : w[i] * decay;
            w[i] = wi - stepSize * mi / ((float) Math.sqrt(vi) / rootCorrection2 + eps);
        }
    }

    /** Updates taken so far. */
    public long steps() {
        return step;
    }

    /** The live first-moment estimates m, one array per parameter (saved with training checkpoints). */
    public float[][] firstMoments() {
        return firstMoments;
    }

    /** The live second-moment estimates v, one array per parameter. */
    public float[][] secondMoments() {
        return secondMoments;
    }

    /** Continues from a saved state: the update count and (already copied into {@link #firstMoments()} etc.) m, v. */
    public void restoreSteps(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
        }
        this.step = steps;
    }

    public List<Parameter> parameters() {
        return parameters;
    }
}
