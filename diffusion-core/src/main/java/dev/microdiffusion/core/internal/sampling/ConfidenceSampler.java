package dev.microdiffusion.core.internal.sampling;

import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.NoiseSchedule;

/**
 * The reference's sampler. For k = T down to 1: a token drawn at each open position and its confidence; with n open
 * positions in a row, the ⌊n·rate(t_{k−1})/rate(t_k)⌋ least confident stay masked (all are revealed at k = 1) and
 * the others take their drawn token. The floor reveals at least one position per row and step, so a row of L is
 * complete after L steps; the model is called only on rows that still have an open position, and not at all once
 * none has.
 */
public final class ConfidenceSampler extends StepwiseSampler {


    @Override
    protected void step(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            RowRandom random, int k, int steps, int live) {
        work.evaluate(canvas, pass, (double) k / steps, work.rows(), live, false);
        double keepFraction = stillMasked(schedule, k, steps);
        for (int a = 0; a < live; a++) {
            int n = drawOpen(canvas, work.row(a), options, random);
            int keep = (int) Math.min(Math.floor(n * keepFraction), n);
            sortByConfidence(n);
            reveal(canvas, keep, n);
        }
    }
}
