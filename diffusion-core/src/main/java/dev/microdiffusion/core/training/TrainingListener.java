package dev.microdiffusion.core.training;

/** Told after every optimiser step. */
@FunctionalInterface
public interface TrainingListener {

    TrainingListener NONE = (step, steps, loss, t) -> { };

    /**
     * @param step  the step just taken, 0-based
     * @param steps the run's total
     * @param loss  the batch's mean cross-entropy (nats per position)
     * @param t     the batch's diffusion time
     */
    void onStep(int step, int steps, double loss, double t);
}
