package dev.microdiffusion.core;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
    /**
     * A pass and a canvas per worker, kept between {@link #generate} calls so that repeated calls do not make them
     * again (a Transformer pass for 64 rows is ~10 MB); at most {@link #KEPT} are kept.
     */
    private final java.util.concurrent.ConcurrentLinkedDeque<Buffers> idle = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private static final int KEPT = 4;

    private record Buffers(int capacity, Denoiser.Pass pass, Canvas canvas) {
    }

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
     * Generates {@code count} texts from all-masked rows on one thread, {@code batchSize} rows per model call.
     *
     * @param observer sees the canvas of every batch after every step
     */
    public List<String> generate(int count, int batchSize, Sampler sampler, double temperature,
            UniformRandomProvider random, StepObserver observer) {
        return generate(count, batchSize, 1, () -> sampler, temperature, random, observer);
    }

    public List<String> generate(int count, Sampler sampler, double temperature, UniformRandomProvider random) {
        return generate(count, 64, sampler, temperature, random, StepObserver.NONE);
    }

    /**
     * Generates {@code count} texts from all-masked rows with the default {@link SamplingOptions} at the training T;
     * see {@link #generate(int, int, int, Supplier, SamplingOptions, Template, UniformRandomProvider, StepObserver)}.
     */
    public List<String> generate(int count, int batchSize, int threads, Supplier<Sampler> samplers, double temperature,
            UniformRandomProvider random, StepObserver observer) {
        return generate(count, batchSize, threads, samplers, new SamplingOptions(diffusionSteps, temperature),
                Template.free(tokenizer), random, observer);
    }

    /**
     * Generates {@code count} texts from rows made by {@code template} (fixed positions are never changed). Rows go in
     * batches of {@code batchSize}; each batch draws from its own random stream, seeded in batch order from
     * {@code random}, so the texts depend on the seed and the batch size but not on {@code threads}, the number of
     * batches run at once.
     *
     * @param samplers makes one sampler per thread (samplers keep buffers)
     * @param options  how to sample; {@link SamplingOptions#steps()} need not be the training T
     * @param observer sees the canvas of every batch after every step; calls are serialised
     */
    public List<String> generate(int count, int batchSize, int threads, Supplier<Sampler> samplers,
            SamplingOptions options, Template template, UniformRandomProvider random, StepObserver observer) {
        if (count < 0 || batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("count must be ≥ 0, batchSize and threads ≥ 1, got " + count + ", "
                    + batchSize + ", " + threads);
        }
        int capacity = Math.max(1, Math.min(batchSize, count));
        int batches = (count + capacity - 1) / capacity;
        long[] seeds = new long[batches];
        for (int b = 0; b < batches; b++) {
            seeds[b] = random.nextLong();
        }
        String[] out = new String[count];
        StepObserver serialised = observer == StepObserver.NONE ? observer : (step, steps, canvas) -> {
            synchronized (this) {
                observer.afterStep(step, steps, canvas);
            }
        };
        int workers = Math.min(threads, batches);
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            Buffers buffers = borrow(capacity);
            Denoiser.Pass pass = buffers.pass();
            Canvas canvas = buffers.canvas();
            Sampler sampler = samplers.get();
            for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                int first = b * capacity;
                canvas.reset(Math.min(capacity, count - first), template);
                sampler.sample(canvas, pass, schedule, options, RandomStreams.fromSeed(seeds[b]), serialised);
                List<String> texts = canvas.decode(tokenizer, options.endAtFirstPad());
                for (int r = 0; r < texts.size(); r++) {
                    out[first + r] = texts.get(r);
                }
            }
            giveBack(buffers);
        };
        Parallel.run(workers, worker);
        return Arrays.asList(out);
    }

    private Buffers borrow(int capacity) {
        for (Buffers b = idle.poll(); b != null; b = idle.poll()) {
            if (b.capacity() == capacity) {
                return b;
            }
        }
        return new Buffers(capacity, denoiser.newPass(capacity), Canvas.of(tokenizer, capacity));
    }

    private void giveBack(Buffers buffers) {
        if (idle.size() < KEPT) {
            idle.push(buffers);
        }
    }
}
