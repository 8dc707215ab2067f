package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.training.TrainingListener;
import java.io.PrintWriter;

/**
 * Training progress: on a terminal one line redrawn in place; otherwise (logs, pipes) a line every tenth of the run.
 * Shows the step, the mean loss since the last line and the steps per second, and each evaluation point's NELBO.
 */
final class ProgressBar implements TrainingListener {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private double lossSum;
    private int lossCount;
    private int firstStep = -1;

    ProgressBar(PrintWriter out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    @Override
    public void onStep(int step, int steps, double loss, double t) {
        if (firstStep < 0) {
            firstStep = step;
        }
        lossSum += loss;
        lossCount++;
        int done = step + 1;
        int every = interactive ? Math.max(1, steps / 200) : Math.max(1, steps / 10);
        if (done % every != 0 && done != steps) {
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int filled = (int) ((long) WIDTH * done / steps);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        String line = String.format("[%s] step %,6d/%,d  loss %.4f  %,.0f steps/s", bar, done, steps,
                lossSum / lossCount, (done - firstStep) / Math.max(seconds, 1e-9));
        lossSum = 0;
        lossCount = 0;
        if (interactive) {
            out.print('\r' + line);
            if (done == steps) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void onEvaluation(int steps, Nelbo r) {
        out.printf("  step %,d: validation NELBO %.4f ± %.4f bits/char%n", steps, r.bitsPerChar(), r.bitsPerCharError());
    }
}
