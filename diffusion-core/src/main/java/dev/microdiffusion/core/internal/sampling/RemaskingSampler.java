package dev.microdiffusion.core.internal.sampling;

import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.NoiseSchedule;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * LLaDA's sampler: predict every open position, then re-mask some of them so that a row with n open positions keeps
 * round(n·rate(s)/rate(t)) masked — the schedule's count, which may reveal nothing at a step (unlike the reference's
 * floor, which reveals at least one) and spreads the reveals over all T steps. Which ones are re-masked: the least
 * confident ({@code remask-lowconf}) or a uniformly random choice ({@code remask-random}, which draws tokens only
 * where it reveals). A step that would reveal nothing in any row calls no model.
 */
public final class RemaskingSampler extends StepwiseSampler {

    private final boolean lowConfidence;
    private int[] keeps = new int[0];
    private int[] revealing = new int[0];

    /** @param lowConfidence re-mask the least confident positions; otherwise random ones */
    public RemaskingSampler(boolean lowConfidence) {
        this.lowConfidence = lowConfidence;
    }

    @Override
    protected void step(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            RowRandom random, int k, int steps, int live) {
        if (keeps.length < canvas.capacity()) {
            keeps = new int[canvas.capacity()];
            revealing = new int[canvas.capacity()];
        }
        double share = stillMasked(schedule, k, steps);
        int rows = 0;
        for (int a = 0; a < live; a++) {
            int r = work.row(a);
            int n = openPositions(canvas, r);
            int keep = (int) Math.min(Math.round(n * share), n);
            if (keep < n) {
                keeps[rows] = keep;
                revealing[rows++] = r;
            }
        }
        if (rows == 0) {
            return;
        }
        work.evaluate(canvas, pass, (double) k / steps, revealing, rows, false);
        for (int a = 0; a < rows; a++) {
            int r = revealing[a];
            int keep = keeps[a];
            if (lowConfidence) {
                int n = drawOpen(canvas, r, options, random);
                sortByConfidence(n);
                reveal(canvas, keep, n);
            } else {
                UniformRandomProvider stream = random.row(r);
                int n = openPositions(canvas, r);
                int reveal = n - keep;
                // a partial Fisher–Yates shuffle: the first `reveal` entries become a uniform choice
                for (int j = 0; j < reveal; j++) {
                    int pick = j + stream.nextInt(n - j);
                    int p = positions[pick];
                    positions[pick] = positions[j];
                    positions[j] = p;
                }
                int base = r * canvas.length();
                for (int j = 0; j < reveal; j++) {
                    drawn[j] = work.draw(canvas, r, positions[j] - base, options, stream);
                }
                reveal(canvas, 0, reveal);
            }
        }
    }
}
