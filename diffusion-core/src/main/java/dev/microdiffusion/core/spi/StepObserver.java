package dev.microdiffusion.core.spi;

/** Sees the canvas after every reverse step (e.g. to print the reverse process). */
@FunctionalInterface
public interface StepObserver {

    StepObserver NONE = (step, steps, canvas) -> { };

    /**
     * @param step  the step just taken, counting down from {@code steps} to 1
     * @param steps the total number of steps
     */
    void afterStep(int step, int steps, Canvas canvas);
}
