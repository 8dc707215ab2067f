package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.StepObserver;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Records at which step each position of each generated row was revealed: counts[step index][position], the step
 * index counting from 0 at the first reverse step. Works with several threads' canvases (the model serialises
 * observer calls); a canvas starts a new batch at its first step.
 */
final class RevealTracker implements StepObserver {

    private final int steps;
    private final int length;
    private final long[][] counts;
    private final Map<Canvas, boolean[]> revealed = new IdentityHashMap<>();
    private long rows;

    RevealTracker(int steps, int length) {
        this.steps = steps;
        this.length = length;
        this.counts = new long[steps][length];
    }

    @Override
    public void afterStep(int step, int total, Canvas canvas) {
        boolean[] seen = revealed.computeIfAbsent(canvas, c -> new boolean[c.capacity() * c.length()]);
        int[] tokens = canvas.tokens();
        int live = canvas.rows() * canvas.length();
        if (step == total) {
            // a new batch: positions already filled now (fixed by a template, or revealed in this first step) are
            // told apart by the canvas alone only for this step, so count everything non-MASK here once
            Arrays.fill(seen, false);
            rows += canvas.rows();
        }
        int index = Math.min(steps - 1, Math.max(0, total - step));
        for (int i = 0; i < live; i++) {
            if (!seen[i] && tokens[i] != canvas.maskId()) {
                seen[i] = true;
                counts[index][i % length]++;
            }
        }
    }

    /** Fraction of rows that revealed each position at each step: [step index][position]. */
    double[][] fractions() {
        double[][] f = new double[steps][length];
        for (int s = 0; s < steps; s++) {
            for (int p = 0; p < length; p++) {
                f[s][p] = rows == 0 ? 0 : counts[s][p] / (double) rows;
            }
        }
        return f;
    }

    /** The mean step index at which each position was revealed. */
    double[] meanStep() {
        double[] mean = new double[length];
        for (int p = 0; p < length; p++) {
            long n = 0;
            double sum = 0;
            for (int s = 0; s < steps; s++) {
                n += counts[s][p];
                sum += (double) s * counts[s][p];
            }
            mean[p] = n == 0 ? Double.NaN : sum / n;
        }
        return mean;
    }

    int steps() {
        return steps;
    }
}
