package dev.microdiffusion.core.internal.generation;

import dev.microdiffusion.core.internal.Parallel;
import dev.microdiffusion.core.internal.RowStreams;
import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;
import dev.microdiffusion.core.sampling.Template;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.Sampler;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Runs a model's samplers over batches of rows on worker threads: the engine behind every façade that generates
 * (texts, edits, pseudonyms). Row j draws from its own stream, keyed by {@code keyOf.applyAsLong(j)}, and rows are
 * independent in a batch, so row j depends on its key alone — not on the count, the batch size or the threads.
 * Thread-safe: each worker borrows its own buffers, kept between calls.
 */
public final class GenerationEngine {

    /**
     * What every row undergoes.
     *
     * @param samplers makes one sampler per worker (samplers keep buffers)
     * @param options  how to sample; {@link SamplingOptions#steps()} need not be the training T
     * @param template the rows every text starts from (fixed positions are never changed)
     * @param remask   how many of each row's characters are masked again before sampling (an edit), else 0
     * @param label    the label id the rows are generated for, or −1
     */
    public record Plan(Supplier<Sampler> samplers, SamplingOptions options, Template template, int remask, int label) {
    }

    /**
     * How the rows are spread.
     *
     * @param batchSize rows per model call
     * @param threads   batches at once
     * @param observer  sees the canvas of every batch after every step; calls are serialised
     */
    public record Workers(int batchSize, int threads, StepObserver observer) {

        /** Checks the counts. */
        public Workers {
            if (batchSize < 1 || threads < 1) {
                throw new IllegalArgumentException("batchSize and threads must be ≥ 1, got " + batchSize + ", "
                        + threads);
            }
        }
    }

    /**
     * Texts and what they cost.
     *
     * @param texts      the texts, row j at index j
     * @param modelCalls forward calls of the denoiser
     * @param modelRows  rows those calls computed
     */
    public record Result(List<String> texts, long modelCalls, long modelRows) {
    }

    /** Passes and canvases kept between calls (a Transformer pass for 64 rows is ~10 MB); at most this many. */
    private static final int KEPT = 4;

    private final Tokenizer tokenizer;
    private final Denoiser denoiser;
    private final NoiseSchedule schedule;
    private final ConcurrentLinkedDeque<Buffers> idle = new ConcurrentLinkedDeque<>();
    private final Object observerLock = new Object();

    private record Buffers(int capacity, int passRows, Denoiser.Pass pass, Canvas canvas, RowStreams streams) {
    }

    /**
     * An engine for one model.
     *
     * @param tokenizer decodes the rows
     * @param denoiser  the model
     * @param schedule  its noise schedule
     */
    public GenerationEngine(Tokenizer tokenizer, Denoiser denoiser, NoiseSchedule schedule) {
        this.tokenizer = tokenizer;
        this.denoiser = denoiser;
        this.schedule = schedule;
    }

    /**
     * Generates {@code count} texts.
     *
     * @param plan    what every row undergoes
     * @param workers how the rows are spread
     * @param count   how many texts
     * @param keyOf   the key of row j's random stream
     * @return the texts in row order, and what they cost
     */
    public Result generate(Plan plan, Workers workers, int count, IntToLongFunction keyOf) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be ≥ 0, got " + count);
        }
        int capacity = Math.max(1, Math.min(workers.batchSize(), count));
        int batches = (count + capacity - 1) / capacity;
        String[] out = new String[count];
        StepObserver observer = workers.observer();
        StepObserver serialised = observer == StepObserver.NONE ? observer : (step, steps, canvas) -> {
            synchronized (observerLock) {
                observer.afterStep(step, steps, canvas);
            }
        };
        AtomicInteger next = new AtomicInteger();
        LongAdder calls = new LongAdder();
        LongAdder rows = new LongAdder();
        // guided rows go to the model twice, with and without their label
        int passRows = plan.label() >= 0 && plan.options().guidance() > 0 ? 2 * capacity : capacity;
        Runnable worker = () -> {
            Buffers buffers = borrow(capacity, passRows);
            CountingPass pass = new CountingPass(buffers.pass());
            Canvas canvas = buffers.canvas();
            RowStreams streams = buffers.streams();
            Sampler sampler = plan.samplers().get();
            for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                int first = b * capacity;
                int size = Math.min(capacity, count - first);
                canvas.reset(size, plan.template()).setLabel(plan.label());
                streams.seed(size, first, keyOf);
                if (plan.remask() > 0) {
                    remask(canvas, plan.template().exactLength(), plan.remask(), streams);
                }
                sampler.sample(canvas, pass, schedule, plan.options(), streams, serialised);
                List<String> texts = canvas.decode(tokenizer, plan.options().endAtFirstPad());
                for (int r = 0; r < texts.size(); r++) {
                    out[first + r] = texts.get(r);
                }
            }
            calls.add(pass.calls);
            rows.add(pass.rows);
            giveBack(buffers);
        };
        Parallel.run(Math.min(workers.threads(), batches), worker);
        return new Result(Arrays.asList(out), calls.sum(), rows.sum());
    }

    /** A pass that counts its forward calls and rows, for the NFE; one worker's, not thread-safe. */
    private static final class CountingPass implements Denoiser.Pass {
        private final Denoiser.Pass pass;
        long calls;
        long rows;

        CountingPass(Denoiser.Pass pass) {
            this.pass = pass;
        }

        @Override
        public int maxBatch() {
            return pass.maxBatch();
        }

        @Override
        public void forward(int[] tokens, float[] times, int batch, float[] logits) {
            calls++;
            rows += batch;
            pass.forward(tokens, times, batch, logits);
        }

        @Override
        public void forward(int[] tokens, float[] times, int[] labels, int batch, float[] logits) {
            calls++;
            rows += batch;
            pass.forward(tokens, times, labels, batch, logits);
        }

        @Override
        public void backward(float[] dLogits, Gradients gradients) {
            pass.backward(dLogits, gradients);
        }
    }

    /** Masks {@code count} of each row's first {@code length} positions again, chosen uniformly per row. */
    private static void remask(Canvas canvas, int length, int count, RowRandom streams) {
        int[] order = new int[length];
        int[] tokens = canvas.tokens();
        for (int r = 0; r < canvas.rows(); r++) {
            UniformRandomProvider random = streams.row(r);
            for (int i = 0; i < length; i++) {
                order[i] = i;
            }
            for (int i = 0; i < count; i++) {
                int j = i + random.nextInt(length - i);
                int chosen = order[j];
                order[j] = order[i];
                order[i] = chosen;
                tokens[r * canvas.length() + chosen] = canvas.maskId();
            }
        }
    }

    private Buffers borrow(int capacity, int passRows) {
        for (Buffers b = idle.poll(); b != null; b = idle.poll()) {
            if (b.capacity() == capacity && b.passRows() == passRows) {
                return b;
            }
        }
        return new Buffers(capacity, passRows, denoiser.newPass(passRows), Canvas.of(tokenizer, capacity),
                new RowStreams(capacity));
    }

    private void giveBack(Buffers buffers) {
        if (idle.size() < KEPT) {
            idle.push(buffers);
        }
    }
}
