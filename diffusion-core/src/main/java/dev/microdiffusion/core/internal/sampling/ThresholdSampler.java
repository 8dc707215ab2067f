package dev.microdiffusion.core.internal.sampling;

import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.ConfidenceMeasure;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.NoiseSchedule;

/**
 * Fast-dLLM's parallel decoding: at each step every open position whose confidence exceeds the threshold is revealed,
 * and at least the most confident one per row, so a sure model finishes in few steps; the schedule plays no part, and
 * at the last step everything still open is revealed.
 */
final class ThresholdSampler extends StepwiseSampler {

    static final double DEFAULT_THRESHOLD = 0.9;

    private final double threshold;

    /**
     * @param threshold in [0, 1], or ≤ 0 with {@link ConfidenceMeasure#NEGATIVE_ENTROPY} (whose values are ≤ 0:
     *                  −0.1 reveals positions with entropy below 0.1 nats)
     */
    ThresholdSampler(double threshold) {
        if (!(threshold <= 1) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("sampler threshold: threshold must be finite and ≤ 1, got " + threshold);
        }
        this.threshold = threshold;
    }

    @Override
    public void check(SamplingOptions options) {
        if (threshold < 0 && options.confidence() != ConfidenceMeasure.NEGATIVE_ENTROPY) {
            throw new IllegalArgumentException("sampler threshold: a threshold below 0 (" + threshold + ") needs the "
                    + ConfidenceMeasure.NEGATIVE_ENTROPY.option() + " confidence; " + options.confidence().option()
                    + " lies in [0, 1]");
        }
    }


    @Override
    protected void step(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            RowRandom random, int k, int steps, int live) {
        work.evaluate(canvas, pass, (double) k / steps, work.rows(), live, false);
        int[] tokens = canvas.tokens();
        for (int a = 0; a < live; a++) {
            int n = drawOpen(canvas, work.row(a), options, random);
            int best = 0;
            int revealed = 0;
            for (int j = 0; j < n; j++) {
                if (k == 1 || confidence[j] > threshold) {
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
