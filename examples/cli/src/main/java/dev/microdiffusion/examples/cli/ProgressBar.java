package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.training.TrainingListener;
import java.io.PrintWriter;

/**
 * Training progress: on a terminal one line redrawn in place; otherwise (logs, pipes) a line every tenth of the run.
 * Shows the step, the mean loss since the last line and the steps per second, and each evaluation point's NELBO; for a
 * run on a text also the tokens per second and the time left.
 */
final class ProgressBar implements TrainingListener {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private double lossSum;
    private int lossCount;
    private int firstStep = -1;
    /** Tokens a step trains on, to show tokens per second and the time left; 0 shows steps per second only. */
    private final int tokensPerStep;

    ProgressBar(PrintWriter out, boolean interactive) {
        this(out, interactive, 0);
    }

    ProgressBar(PrintWriter out, boolean interactive, int tokensPerStep) {
        this.out = out;
        this.interactive = interactive;
        this.tokensPerStep = tokensPerStep;
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
        double stepsPerSecond = (done - firstStep) / Math.max(seconds, 1e-9);
        String line = String.format("[%s] step %,6d/%,d  loss %.4f  %,.0f steps/s", bar, done, steps,
                lossSum / lossCount, stepsPerSecond);
        if (tokensPerStep > 0) {
            line = String.format("[%s] step %,6d/%,d  loss %.4f  %,.1f steps/s  %,.0f tokens/s  ETA %s", bar, done,
                    steps, lossSum / lossCount, stepsPerSecond, stepsPerSecond * tokensPerStep,
                    duration((steps - done) / Math.max(stepsPerSecond, 1e-9)));
        }
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

    /** Seconds as h:mm:ss, or m:ss under an hour. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    @Override
    public void onEvaluation(int steps, Nelbo r) {
        out.printf("  step %,d: validation NELBO %.4f ± %.4f bits/char%n", steps, r.bitsPerChar(), r.bitsPerCharError());
    }
}
