package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
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
 * How does generating 64 names scale with threads? {@link Generation#generate} in batches of 32 (two batches,
 * the same names on any thread count), on the Vector kernel; names/s = 64 × ops/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// a long warm-up: model calls of changing batch size (rows with equal tokens share one) keep C2 recompiling for
// ~20 s, and until it settles some vector code runs on the Vector API's allocating fallback
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class SamplingThreadsBenchmark {

    @Param({"mlp", "mlp-skip", "transformer"})
    public String denoiser;

    @Param({"1", "2"})
    public int threads;

    private Generation generation;

    @Setup
    public void setUp() {
        Tokenizer tokenizer = Fixtures.tokenizer(denoiser);
        Denoiser d = Fixtures.denoiser(denoiser, tokenizer, Fixtures.kernel("vector"));
        DiffusionModel model = new DiffusionModel(tokenizer, d, new CosineSchedule(),
                denoiser.equals("transformer") ? 50 : 40);
        UniformRandomProvider random = new RandomStreams(1).stream("sample");
        generation = model.generation().count(64).batchSize(32).threads(threads).temperature(0.8).random(random).build();
    }

    @Benchmark
    public List<String> generate64() {
        return generation.generate();
    }
}
