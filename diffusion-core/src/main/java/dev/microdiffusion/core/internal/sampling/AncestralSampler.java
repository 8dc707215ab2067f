package dev.microdiffusion.core.internal.sampling;

import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.NoiseSchedule;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * MDLM's ancestral sampler, the exact reverse of the forward process: stepping from t to s, each open position is
 * revealed independently with probability (α(s) − α(t))/(1 − α(t)) = (rate(t) − rate(s))/rate(t) (all at the last
 * step), its token drawn from the model. Which positions reveal is decided first, so the model is called only for rows
 * that reveal something, and a row unchanged since its last call reuses that call's logits (MDLM's caching; exact for
 * a time-independent denoiser, an approximation for a time-conditioned one). Confidence plays no part here.
 */
public final class AncestralSampler extends StepwiseSampler {


    private int[] revealing = new int[0];
    private int[] firstOf = new int[0];
    private int[] chosen = new int[0];

    @Override
    protected void step(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            RowRandom random, int k, int steps, int live) {
        int length = canvas.length();
        if (revealing.length < canvas.capacity()) {
            revealing = new int[canvas.capacity()];
            firstOf = new int[canvas.capacity() + 1];
        }
        if (chosen.length < canvas.capacity() * length) {
            chosen = new int[canvas.capacity() * length];
        }
        double reveal = 1.0 - stillMasked(schedule, k, steps);
        int rows = 0;
        int count = 0;
        for (int a = 0; a < live; a++) {
            int r = work.row(a);
            UniformRandomProvider stream = random.row(r);
            int n = openPositions(canvas, r);
            int before = count;
            for (int j = 0; j < n; j++) {
                if (reveal >= 1.0 || stream.nextDouble() < reveal) {
                    chosen[count++] = positions[j];
                }
            }
            if (count > before) {
                firstOf[rows] = before;
                revealing[rows++] = r;
            }
        }
        if (rows == 0) {
            return;
        }
        firstOf[rows] = count;
        work.evaluate(canvas, pass, (double) k / steps, revealing, rows, true);
        int[] tokens = canvas.tokens();
        for (int a = 0; a < rows; a++) {
            int r = revealing[a];
            UniformRandomProvider stream = random.row(r);
            for (int c = firstOf[a]; c < firstOf[a + 1]; c++) {
                tokens[chosen[c]] = work.draw(canvas, r, chosen[c] - r * length, options, stream);
            }
        }
    }
}
