package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.internal.sampling.ConfidenceSampler;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast is sampling? {@code modelCall}: one denoiser call on 64 all-masked rows (the cost of one reverse step).
 * {@code wholeRun}: 64 names from all-masked rows with the confidence sampler over T steps (40 for the MLPs, 50 for
 * the Transformer); names/s = 64 × ops/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// a long warm-up: model calls of changing batch size (rows with equal tokens share one) keep C2 recompiling for
// ~20 s, and until it settles some vector code runs on the Vector API's allocating fallback
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class SamplingBenchmark {

    static final int BATCH = 64;

    @Param({"mlp", "mlp-skip", "transformer"})
    public String denoiser;

    @Param({"vector", "ojalgo"})
    public String kernel;

    private Denoiser.Pass pass;
    private Canvas canvas;
    private ConfidenceSampler sampler;
    private NoiseSchedule schedule;
    private SamplingOptions options;
    private RowRandom random;
    private int[] masked;
    private float[] times;
    private float[] logits;

    @Setup
    public void setUp() {
        Tokenizer tokenizer = Fixtures.tokenizer(denoiser);
        Denoiser model = Fixtures.denoiser(denoiser, tokenizer, Fixtures.kernel(kernel));
        pass = model.newPass(BATCH);
        canvas = Canvas.of(tokenizer, BATCH);
        sampler = new ConfidenceSampler();
        schedule = new CosineSchedule();
        options = new SamplingOptions(denoiser.equals("transformer") ? 50 : 40, 0.8);
        random = RowRandom.shared(new RandomStreams(1).stream("sample"));
        masked = new int[BATCH * tokenizer.maxLength()];
        Arrays.fill(masked, tokenizer.maskId());
        times = new float[BATCH];
        Arrays.fill(times, 1f);
        logits = new float[BATCH * tokenizer.maxLength() * tokenizer.vocabSize()];
    }

    @Benchmark
    public float[] modelCall() {
        pass.forward(masked, times, BATCH, logits);
        return logits;
    }

    @Benchmark
    public int[] wholeRun() {
        canvas.reset(BATCH);
        sampler.sample(canvas, pass, schedule, options, random, StepObserver.NONE);
        return canvas.tokens();
    }
}
