package dev.microdiffusion.core.sampling;

import dev.microdiffusion.core.Canvas;
import dev.microdiffusion.core.Denoiser;
import dev.microdiffusion.core.NoiseSchedule;
import dev.microdiffusion.core.SamplingOptions;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Fast-dLLM's parallel decoding: at each step every open position whose confidence exceeds
 * {@link SamplingOptions#threshold()} is revealed, and at least the most confident one per row, so a sure model
 * finishes in few steps; the schedule plays no part, and at the last step everything still open is revealed.
 */
public final class ThresholdSampler extends StepwiseSampler {

    public static final String NAME = "threshold";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void step(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            UniformRandomProvider random, int k, int steps, int live) {
        work.evaluate(canvas, pass, (double) k / steps, work.rows(), live, false);
        int[] tokens = canvas.tokens();
        for (int a = 0; a < live; a++) {
            int n = drawOpen(canvas, work.row(a), options, random);
            int best = 0;
            int revealed = 0;
            for (int j = 0; j < n; j++) {
                if (k == 1 || confidence[j] > options.threshold()) {
                    tokens[positions[j]] = drawn[j];
                    revealed++;
                }
                if (confidence[j] > confidence[best]) {
                    best = j;
                }
            }
            if (revealed == 0) {
                tokens[positions[best]] = drawn[best];
            }
        }
    }
}
