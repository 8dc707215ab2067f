package dev.microdiffusion.core.spi;

import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;

/**
 * A reverse process: turns the masked positions of a {@link Canvas} into tokens, calling the denoiser from
 * t = 1 down to t = 0. Positions that are not MASK at the start are never changed. A sampler keeps buffers
 * between calls and is not thread-safe. Rows are independent: a row's result depends on its own tokens and stream,
 * never on the other rows of the canvas. Its own settings (a threshold, a block length) come from its
 * {@link SamplerProvider}; what every sampler shares comes in {@link SamplingOptions}.
 */
public interface Sampler {

    /**
     * Denoises {@code canvas} in place.
     *
     * @param pass     a pass of the denoiser with {@code maxBatch ≥ canvas.rows()}
     * @param random   each row's stream: whatever is decided for row r is drawn from {@code random.row(r)}, and
     *                 nothing decided for one row depends on another row's draws
     * @param observer told after every step; {@link StepObserver#NONE} when nobody listens
     * @param canvas rows to denoise, in place
     * @param schedule the noise schedule
     * @param options the shared sampling options
     */
    void sample(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            RowRandom random, StepObserver observer);

    /**
     * Refuses shared options this sampler's settings cannot work with, before any sampling starts.
     *
     * @param options the options a request would sample with
     * @throws IllegalArgumentException saying why
     */
    default void check(SamplingOptions options) {
    }
}
