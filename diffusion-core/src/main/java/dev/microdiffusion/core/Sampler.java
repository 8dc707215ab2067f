package dev.microdiffusion.core;

import org.apache.commons.rng.UniformRandomProvider;

/**
 * A reverse process: turns the masked positions of a {@link Canvas} into tokens, calling the denoiser from
 * t = 1 down to t = 0. Positions that are not MASK at the start are never changed. A sampler keeps buffers
 * between calls and is not thread-safe. Its own settings (a threshold, a block length) come from its
 * {@link SamplerProvider}; what every sampler shares comes in {@link SamplingOptions}.
 */
public interface Sampler {

    /**
     * Denoises {@code canvas} in place.
     *
     * @param pass     a pass of the denoiser with {@code maxBatch ≥ canvas.rows()}
     * @param observer told after every step; {@link StepObserver#NONE} when nobody listens
     */
    void sample(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            UniformRandomProvider random, StepObserver observer);

    /**
     * Refuses shared options this sampler's settings cannot work with, before any sampling starts.
     *
     * @throws IllegalArgumentException saying why
     */
    default void check(SamplingOptions options) {
    }
}
