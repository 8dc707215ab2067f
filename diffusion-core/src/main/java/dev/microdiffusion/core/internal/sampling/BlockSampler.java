package dev.microdiffusion.core.internal.sampling;

import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.Sampler;

/**
 * Semi-autoregressive sampling (LLaDA's semi-AR mode, block diffusion): the row is filled left to right in blocks of
 * {@code blockLength} positions, an inner sampler running inside each block while later blocks stay masked. The T
 * steps are shared out over the blocks (at least one each, the first blocks taking the remainder); the observer sees
 * one countdown over all of them. Inside a block the inner sampler runs its own t from 1 to 0.
 */
final class BlockSampler implements Sampler {

    static final int DEFAULT_BLOCK_LENGTH = 4;

    private final int blockLength;
    private final Sampler inner;

    BlockSampler(int blockLength, Sampler inner) {
        if (blockLength < 1) {
            throw new IllegalArgumentException("sampler blocks: length must be ≥ 1, got " + blockLength);
        }
        this.blockLength = blockLength;
        this.inner = inner;
    }

    @Override
    public void check(SamplingOptions options) {
        inner.check(options);
    }

    @Override
    public void sample(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            RowRandom random, StepObserver observer) {
        int start = canvas.windowStart();
        int end = canvas.windowEnd();
        int b = blockLength;
        int blocks = (end - start + b - 1) / b;
        int total = Math.max(options.steps(), blocks);
        int done = 0;
        try {
            for (int j = 0; j < blocks; j++) {
                int steps = total / blocks + (j < total % blocks ? 1 : 0);
                canvas.setWindow(start + j * b, Math.min(end, start + (j + 1) * b));
                int offset = total - done - steps;
                inner.sample(canvas, pass, schedule, options.withSteps(steps), random,
                        (step, all, c) -> observer.afterStep(offset + step, total, c));
                done += steps;
            }
        } finally {
            canvas.setWindow(start, end);
        }
    }
}
