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
 * The reverse process without a time grid (the first-hitting sampler of Zheng et al., 2024): the masked positions of
 * the absorbing process are revealed one at a time, in a uniformly random order, each token drawn from the model
 * given everything revealed before it. So every model call reveals exactly one position of every open row and a text
 * costs one call per masked position; unlike a sampler on a grid, two positions are never drawn from one call as if
 * independent, which is the only approximation those samplers make. The model is called at the time whose mask rate
 * is the row's masked share (rate(t) = rate(t₀)·n/n₀ for n of the n₀ positions open at the start time t₀): the time
 * such masks most likely come from, which a model trained across all times reads as intended, and one that depends
 * only on the row, so identical rows (every row at the start) share a call. {@link SamplingOptions#steps()} plays
 * no part.
 */
public final class FirstHittingSampler implements Sampler {

    private final SamplerWorkspace work = new SamplerWorkspace();
    private int[] initial = new int[0];
    private int[] positions = new int[0];

    @Override
    public void sample(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            RowRandom random, StepObserver observer) {
        work.begin(canvas, pass, options.guidance());
        if (initial.length < canvas.capacity()) {
            initial = new int[canvas.capacity()];
        }
        if (positions.length < canvas.length()) {
            positions = new int[canvas.length()];
        }
        int total = 0;
        for (int r = 0; r < canvas.rows(); r++) {
            initial[r] = open(canvas, r);
            total = Math.max(total, initial[r]);
        }
        double startRate = schedule.rate(options.startTime());
        float[] rowTimes = work.rowTimes();
        for (int call = 1; ; call++) {
            int live = work.openRows(canvas);
            if (live == 0) {
                break;
            }
            for (int a = 0; a < live; a++) {
                int r = work.row(a);
                int n = open(canvas, r);
                rowTimes[r] = n == initial[r] ? (float) options.startTime()
                        : (float) schedule.timeOfRate(startRate * n / initial[r]);
            }
            work.evaluate(canvas, pass, work.rows(), live, false);
            int[] tokens = canvas.tokens();
            for (int a = 0; a < live; a++) {
                int r = work.row(a);
                UniformRandomProvider stream = random.row(r);
                int n = open(canvas, r);
                int i = positions[stream.nextInt(n)];
                tokens[r * canvas.length() + i] = work.draw(canvas, r, i, options, stream);
            }
            observer.afterStep(Math.max(1, total - call + 1), Math.max(1, total), canvas);
        }
    }

    /** Lists the open positions of a row (indices within the row) in {@link #positions}; returns how many. */
    private int open(Canvas canvas, int row) {
        int n = 0;
        for (int i = canvas.windowStart(); i < canvas.windowEnd(); i++) {
            if (canvas.isOpen(row, i)) {
                positions[n++] = i;
            }
        }
        return n;
    }
}
