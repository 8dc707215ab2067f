package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.math.MatrixKernel;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does each non-product primitive cost at the reference Transformer's shapes (64 rows of 16 positions, d = 64,
 * 4 heads of 16, MLP width 256)? One call each, as one layer of a model call makes it; average time per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
public class TransformerKernelBenchmark {

    private static final int BATCH = 64;
    private static final int LENGTH = 16;
    private static final int HEADS = 4;
    private static final int HEAD_DIM = 16;
    private static final int D = HEADS * HEAD_DIM;
    private static final int ROWS = BATCH * LENGTH;
    private static final int FFN = 4 * D;

    @Param({"vector", "ojalgo"})
    public String kernel;

    private MatrixKernel matrices;
    private float[] x;
    private float[] scale;
    private float[] y;
    private float[] r;
    private float[] dx;
    private float[] dScale;
    private float[] wide;
    private float[] wideOut;
    private float[] qkv;
    private float[] probabilities;
    private float[] attended;
    private float[] dQkv;

    @Setup
    public void setUp() {
        matrices = Fixtures.kernel(kernel);
        Random random = new Random(1);
        x = Fixtures.gaussian(random, ROWS * D);
        scale = Fixtures.gaussian(random, D);
        y = new float[ROWS * D];
        r = new float[ROWS];
        dx = new float[ROWS * D];
        dScale = new float[D];
        wide = Fixtures.gaussian(random, ROWS * FFN);
        wideOut = new float[ROWS * FFN];
        qkv = Fixtures.gaussian(random, ROWS * 3 * D);
        probabilities = new float[BATCH * HEADS * LENGTH * LENGTH];
        attended = new float[ROWS * D];
        dQkv = new float[ROWS * 3 * D];
        matrices.attention(qkv, probabilities, attended, BATCH, LENGTH, HEADS, HEAD_DIM);
    }

    @Benchmark
    public float[] rmsNorm() {
        matrices.rmsNorm(x, scale, y, r, ROWS, D, 1e-8f);
        return y;
    }

    @Benchmark
    public float[] rmsNormBackward() {
        matrices.rmsNormBackward(y, x, scale, r, dx, dScale, ROWS, D);
        return dx;
    }

    @Benchmark
    public float[] gelu() {
        matrices.gelu(wide, wideOut, ROWS * FFN);
        return wideOut;
    }

    @Benchmark
    public float[] geluBackward() {
        matrices.geluBackward(wide, wideOut, wideOut, ROWS * FFN);
        return wideOut;
    }

    @Benchmark
    public float[] attention() {
        matrices.attention(qkv, probabilities, attended, BATCH, LENGTH, HEADS, HEAD_DIM);
        return attended;
    }

    @Benchmark
    public float[] attentionBackward() {
        matrices.attentionBackward(attended, qkv, probabilities, dQkv, BATCH, LENGTH, HEADS, HEAD_DIM);
        return dQkv;
    }
}
