package dev.microdiffusion.core;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A trained model ready to generate: its tokenizer, denoiser, noise schedule and the number of diffusion steps it was
 * trained on.
 */
public final class DiffusionModel {

    private final Tokenizer tokenizer;
    private final Denoiser denoiser;
    private final NoiseSchedule schedule;
    private final int diffusionSteps;

    public DiffusionModel(Tokenizer tokenizer, Denoiser denoiser, NoiseSchedule schedule, int diffusionSteps) {
        if (tokenizer.vocabSize() != denoiser.vocabSize() || tokenizer.maxLength() != denoiser.maxLength()) {
            throw new IllegalArgumentException("tokenizer (V " + tokenizer.vocabSize() + ", L " + tokenizer.maxLength()
                    + ") and denoiser (V " + denoiser.vocabSize() + ", L " + denoiser.maxLength() + ") do not match");
        }
        if (diffusionSteps < 1) {
            throw new IllegalArgumentException("diffusionSteps must be at least 1, got " + diffusionSteps);
        }
        this.tokenizer = tokenizer;
        this.denoiser = denoiser;
        this.schedule = schedule;
        this.diffusionSteps = diffusionSteps;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Denoiser denoiser() {
        return denoiser;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    public int diffusionSteps() {
        return diffusionSteps;
    }

    /**
     * Generates {@code count} texts from all-masked rows, {@code batchSize} rows per model call.
     *
     * @param observer sees the canvas of every batch after every step
     */
    public List<String> generate(int count, int batchSize, Sampler sampler, double temperature,
            UniformRandomProvider random, StepObserver observer) {
        if (count < 0 || batchSize < 1) {
            throw new IllegalArgumentException("count must be ≥ 0 and batchSize ≥ 1, got " + count + ", " + batchSize);
        }
        SamplingOptions options = new SamplingOptions(diffusionSteps, temperature);
        int capacity = Math.max(1, Math.min(batchSize, count));
        Denoiser.Pass pass = denoiser.newPass(capacity);
        Canvas canvas = Canvas.of(tokenizer, capacity);
        List<String> out = new ArrayList<>(count);
        for (int done = 0; done < count; done += capacity) {
            canvas.reset(Math.min(capacity, count - done));
            sampler.sample(canvas, pass, schedule, options, random, observer);
            out.addAll(canvas.decode(tokenizer));
        }
        return out;
    }

    public List<String> generate(int count, Sampler sampler, double temperature, UniformRandomProvider random) {
        return generate(count, 64, sampler, temperature, random, StepObserver.NONE);
    }
}
