package dev.microdiffusion.core.training;

/**
 * What a training run measured.
 *
 * @param losses      the batch loss of every step of the run (a resumed run's earlier steps included)
 * @param wallSeconds time spent in the training loop by this call
 * @param stepsTaken  steps taken by this call (fewer than {@code losses.length} after a resume)
 */
public record TrainingResult(double[] losses, double wallSeconds, int stepsTaken) {

    /** {@return the steps taken} */
    public int steps() {
        return losses.length;
    }

    /** {@return steps per second of training} */
    public double stepsPerSecond() {
        return wallSeconds > 0 ? stepsTaken / wallSeconds : Double.POSITIVE_INFINITY;
    }

    /**
     * Mean loss over the last {@code n} steps (all of them if fewer).
     *
     * @param n how many steps
     * @return the mean loss
     */
    public double meanLossOfLast(int n) {
        int from = Math.max(0, losses.length - n);
        double sum = 0;
        for (int i = from; i < losses.length; i++) {
            sum += losses[i];
        }
        return losses.length == from ? Double.NaN : sum / (losses.length - from);
    }
}
