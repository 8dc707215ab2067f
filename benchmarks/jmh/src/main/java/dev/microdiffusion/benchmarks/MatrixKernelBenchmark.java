package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.math.MatrixKernel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * How fast is each kernel primitive at the models' shapes? The {@code gflop} counter is GFLOP/s (2·m·k·n per call).
 * Shapes are m×k×n of C[m×n] = A[m×k]·B[k×n]; the transposed products use the same m, k, n.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
public class MatrixKernelBenchmark {

    @Param({"vector", "ojalgo"})
    public String kernel;

    @Param({"1024x64x256", "1024x64x192", "1024x256x64", "64x337x256", "64x256x336"})
    public String shape;

    private MatrixKernel matrices;
    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] bt;
    private float[] bm;
    private float[] c;
    private float[] ck;

    /** Counts GFLOP done; JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    @Setup
    public void setUp() {
        String[] dims = shape.split("x");
        m = Integer.parseInt(dims[0]);
        k = Integer.parseInt(dims[1]);
        n = Integer.parseInt(dims[2]);
        matrices = Fixtures.kernel(kernel);
        Random random = new Random(1);
        a = Fixtures.gaussian(random, m * k);
        b = Fixtures.gaussian(random, k * n);
        bt = Fixtures.gaussian(random, n * k);
        bm = Fixtures.gaussian(random, m * n);
        c = new float[m * n];
        ck = new float[k * n];
    }

    @Benchmark
    public float[] multiply(Flops flops) {
        matrices.multiply(a, b, c, m, k, n);
        flops.gflop += 2e-9 * m * k * n;
        return c;
    }

    @Benchmark
    public float[] multiplyTransposeAAdd(Flops flops) {
        matrices.multiplyTransposeAAdd(a, bm, ck, m, k, n);
        flops.gflop += 2e-9 * m * k * n;
        return ck;
    }

    @Benchmark
    public float[] multiplyTransposeB(Flops flops) {
        matrices.multiplyTransposeB(a, bt, c, m, k, n);
        flops.gflop += 2e-9 * m * k * n;
        return c;
    }
}
