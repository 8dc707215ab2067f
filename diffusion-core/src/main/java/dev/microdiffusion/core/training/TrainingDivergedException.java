package dev.microdiffusion.core.training;

/** Training produced a loss that is not a finite number; the model's parameters are not usable. */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int step;

    public TrainingDivergedException(int step, double loss) {
        super("training diverged at step " + step + ": loss is " + loss
                + " (try a lower learning rate or gradient clipping)");
        this.step = step;
    }

    public int step() {
        return step;
    }
}
