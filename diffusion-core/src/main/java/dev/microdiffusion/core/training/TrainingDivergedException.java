package dev.microdiffusion.core.training;

/**
 * Training produced a loss that is not a finite number, or one so large that the run has exploded (far above the
 * loss of a uniform guess); the model's parameters are not usable and are not saved.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The step whose loss stopped being finite. */
    private final int step;

    /**
     * The loss of {@code step} is not finite.
     *
     * @param step the step
     * @param loss its loss
     */
    public TrainingDivergedException(int step, double loss) {
        super("training diverged at step " + step + ": loss is " + loss
                + (Double.isFinite(loss) ? ", far above a uniform guess's" : "")
                + " (try a lower learning rate or gradient clipping)");
        this.step = step;
    }

    /** {@return the step whose loss stopped being finite} */
    public int step() {
        return step;
    }
}
