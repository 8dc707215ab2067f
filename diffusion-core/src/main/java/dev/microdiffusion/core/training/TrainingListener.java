package dev.microdiffusion.core.training;

import dev.microdiffusion.core.evaluation.Nelbo;

/** Told after every optimiser step, and at every evaluation point of a run that has them. */
@FunctionalInterface
public interface TrainingListener {

    /** Listens to nothing. */
    TrainingListener NONE = (step, steps, loss, t) -> { };

    /**
     * @param step  the step just taken, 0-based
     * @param steps the run's total
     * @param loss  the batch's mean cross-entropy (nats per position)
     * @param t     the batch's diffusion time
     */
    void onStep(int step, int steps, double loss, double t);

    /**
     * The validation NELBO after {@code steps} steps (a run evaluates every N steps when asked to, and not after its
     * last step, which its caller evaluates).
     *
     * @param steps steps taken
     * @param result the validation NELBO
     */
    default void onEvaluation(int steps, Nelbo result) {
    }
}
