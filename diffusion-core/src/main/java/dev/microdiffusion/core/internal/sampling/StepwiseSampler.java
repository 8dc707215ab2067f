package dev.microdiffusion.core.internal.sampling;

import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.Sampler;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The loop every step-by-step sampler shares: for k = T (or the step of the options' start time) down to 1 (t = k/T, the next time s = (k−1)/T), stop once no
 * position is open, let the subclass reveal some open positions, tell the observer. At k = 1 a subclass reveals every
 * open position, so a canvas is always complete at the end. Subclasses get per-row scratch arrays of the canvas length.
 */
public abstract class StepwiseSampler implements Sampler {

    protected final SamplerWorkspace work = new SamplerWorkspace();
    /** Per-row scratch: open positions (canvas cell indices), their drawn tokens and confidences. */
    protected int[] positions = new int[0];
    protected int[] drawn = new int[0];
    protected double[] confidence = new double[0];

    @Override
    public final void sample(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            RowRandom random, StepObserver observer) {
        work.begin(canvas, pass, options.guidance());
        if (positions.length < canvas.length()) {
            positions = new int[canvas.length()];
            drawn = new int[canvas.length()];
            confidence = new double[canvas.length()];
        }
        int steps = options.steps();
        for (int k = options.firstStep(); k >= 1; k--) {
            int live = work.openRows(canvas);
            if (live == 0) {
                break;
            }
            step(canvas, pass, schedule, options, random, k, steps, live);
            observer.afterStep(k, steps, canvas);
        }
    }

    /**
     * Reveals some open positions of the {@code live} rows listed by {@code work.openRows} (every one at k = 1).
     */
    protected abstract void step(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            RowRandom random, int k, int steps, int live);

    /** rate(s)/rate(t) for the step from t = k/T to s = (k−1)/T: the share of masked positions still masked at s. */
    protected static double stillMasked(NoiseSchedule schedule, int k, int steps) {
        if (k <= 1) {
            return 0.0;
        }
        double now = schedule.rate(k, steps);
        return now > 0 ? Math.min(1.0, schedule.rate(k - 1, steps) / now) : 0.0;
    }

    /** Lists the open positions of row {@code row} in {@link #positions}; returns how many. */
    protected final int openPositions(Canvas canvas, int row) {
        int n = 0;
        int base = row * canvas.length();
        for (int i = canvas.windowStart(); i < canvas.windowEnd(); i++) {
            if (canvas.isOpen(row, i)) {
                positions[n++] = base + i;
            }
        }
        return n;
    }

    /**
     * Draws a token and its confidence at every open position of an evaluated row, in position order, into
     * {@link #positions}, {@link #drawn}, {@link #confidence}; returns how many.
     */
    protected final int drawOpen(Canvas canvas, int row, SamplingOptions options, RowRandom streams) {
        UniformRandomProvider random = streams.row(row);
        int n = openPositions(canvas, row);
        int base = row * canvas.length();
        for (int j = 0; j < n; j++) {
            drawn[j] = work.draw(canvas, row, positions[j] - base, options, random);
            confidence[j] = work.lastConfidence();
        }
        return n;
    }

    /** Sorts the first n entries of the scratch arrays by ascending confidence (stable; n ≤ L, a few dozen). */
    protected final void sortByConfidence(int n) {
        for (int i = 1; i < n; i++) {
            double c = confidence[i];
            int p = positions[i];
            int d = drawn[i];
            int j = i - 1;
            while (j >= 0 && confidence[j] > c) {
                confidence[j + 1] = confidence[j];
                positions[j + 1] = positions[j];
                drawn[j + 1] = drawn[j];
                j--;
            }
            confidence[j + 1] = c;
            positions[j + 1] = p;
            drawn[j + 1] = d;
        }
    }

    /** Writes the drawn tokens of scratch entries [from, to) into the canvas. */
    protected final void reveal(Canvas canvas, int from, int to) {
        int[] tokens = canvas.tokens();
        for (int j = from; j < to; j++) {
            tokens[positions[j]] = drawn[j];
        }
    }
}
