package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.internal.training.Trainer;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.training.ClipPolicy;
import dev.microdiffusion.core.training.LearningRatePolicy;
import dev.microdiffusion.core.training.Objective;
import dev.microdiffusion.core.training.TrainingConfig;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How many training steps per second, at the reference recipe (batch 64): draw, mask, forward, cross-entropy (the
 * reference's or MDLM's), backward, clip and an Adam step, exactly as {@link Trainer} runs them, on 1 or 2 threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class TrainingStepBenchmark {

    @Param({"mlp", "mlp-skip", "transformer"})
    public String denoiser;

    @Param({"vector", "ojalgo"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    /** The loss: the reference's cross-entropy everywhere, or MDLM's weighted masked-only bound. */
    @Param({"reference", "mdlm"})
    public String objective;

    private Trainer.Session session;

    @Setup
    public void setUp() {
        session = session(denoiser, Fixtures.kernel(kernel), threads, objective);
    }

    /** A training session of the benchmark's recipe for one denoiser on {@code kernel}, {@code threads} threads. */
    static Trainer.Session session(String denoiser, MatrixKernel kernel, int threads, String objective) {
        Tokenizer tokenizer = Fixtures.tokenizer(denoiser);
        Denoiser model = Fixtures.denoiser(denoiser, tokenizer, kernel);
        EncodedCorpus corpus = tokenizer.encodeCorpus(Fixtures.names());
        boolean transformer = denoiser.equals("transformer");
        // long enough never to finish inside a benchmark; the schedule's shape does not change the cost of a step
        TrainingConfig recipe = TrainingConfig.reference().toBuilder().steps(10_000_000)
                .diffusionSteps(transformer ? 50 : 40).learningRate(transformer ? 3e-4 : 5e-4)
                .policy(transformer ? LearningRatePolicy.CONSTANT : LearningRatePolicy.WARMUP_LINEAR_DECAY)
                .weightDecay(transformer ? 0.01 : 0).clip(transformer ? ClipPolicy.NONE : ClipPolicy.ALL)
                .objective(Objective.parse(objective)).build();
        Trainer trainer = new Trainer(model, new CosineSchedule(), tokenizer.maskId(), recipe, threads);
        return trainer.session(corpus, trainer.start(corpus, new RandomStreams(1)));
    }

    @TearDown
    public void tearDown() {
        session.close();
    }

    @Benchmark
    public double step() {
        return session.step();
    }
}
