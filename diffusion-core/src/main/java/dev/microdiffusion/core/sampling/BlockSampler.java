package dev.microdiffusion.core.sampling;

import dev.microdiffusion.core.Canvas;
import dev.microdiffusion.core.Denoiser;
import dev.microdiffusion.core.NoiseSchedule;
import dev.microdiffusion.core.Registry;
import dev.microdiffusion.core.Sampler;
import dev.microdiffusion.core.SamplerProvider;
import dev.microdiffusion.core.SamplingOptions;
import dev.microdiffusion.core.StepObserver;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Semi-autoregressive sampling (LLaDA's semi-AR mode, block diffusion): the row is filled left to right in blocks of
 * {@link SamplingOptions#blockLength()} positions, the sampler named by {@link SamplingOptions#innerSampler()}
 * running inside each block while later blocks stay masked. The T steps are shared out over the blocks (at least one
 * each, the first blocks taking the remainder); the observer sees one countdown over all of them. Inside a block the
 * inner sampler runs its own t from 1 to 0.
 */
public final class BlockSampler implements Sampler {

    public static final String NAME = "blocks";

    private Sampler inner;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void sample(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            UniformRandomProvider random, StepObserver observer) {
        Sampler inside = inner(options.innerSampler());
        int start = canvas.windowStart();
        int end = canvas.windowEnd();
        int b = options.blockLength();
        int blocks = (end - start + b - 1) / b;
        int total = Math.max(options.steps(), blocks);
        int done = 0;
        try {
            for (int j = 0; j < blocks; j++) {
                int steps = total / blocks + (j < total % blocks ? 1 : 0);
                canvas.setWindow(start + j * b, Math.min(end, start + (j + 1) * b));
                int offset = total - done - steps;
                inside.sample(canvas, pass, schedule, options.withSteps(steps), random,
                        (step, all, c) -> observer.afterStep(offset + step, total, c));
                done += steps;
            }
        } finally {
            canvas.setWindow(start, end);
        }
    }

    private Sampler inner(String name) {
        if (name.equals(NAME)) {
            throw new IllegalArgumentException("the blocks sampler needs another sampler inside its blocks, not itself");
        }
        if (inner == null || !inner.name().equals(name)) {
            inner = Registry.find(SamplerProvider.class, name).create();
        }
        return inner;
    }
}
