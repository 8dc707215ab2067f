package dev.microdiffusion.core.sampling;

/** Sees the canvas after every reverse step (e.g. to print the reverse process). */
@FunctionalInterface
public interface StepObserver {

    /** Tells nobody. */
    StepObserver NONE = (step, steps, canvas) -> { };

    /**
     * @param step  the step just taken, counting down from {@code steps} to 1
     * @param steps the total number of steps
     * @param canvas the rows after the step (not to be changed)
     */
    void afterStep(int step, int steps, Canvas canvas);
}
