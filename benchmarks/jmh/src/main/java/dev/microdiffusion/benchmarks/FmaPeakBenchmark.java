package dev.microdiffusion.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What is this core's ceiling for float FMAs from Java? Sixteen independent chains of fused multiply-adds on the
 * preferred vector species, no memory traffic: the most a matrix kernel can reach. {@code gflop} is GFLOP/s (2 per lane
 * and FMA); compare {@link MatrixKernelBenchmark}'s figures with it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
public class FmaPeakBenchmark {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int ITERATIONS = 100_000;

    // fields, so the JIT cannot fold the chains into constants
    public float multiplier = 0.9999999f;
    public float addend = 1e-7f;

    @Benchmark
    public float sixteenChains(MatrixKernelBenchmark.Flops flops) {
        flops.gflop += 2e-9 * 16 * S.length() * ITERATIONS;
        return chains(multiplier, addend, ITERATIONS);
    }

    /** GFLOP done by one {@link #chains} call of {@code iterations}. */
    static double gflop(int iterations) {
        return 2e-9 * 16 * S.length() * iterations;
    }

    /** Sixteen chains of {@code iterations} FMAs on the preferred species (also timed between other work). */
    static float chains(float multiplier, float addend, int iterations) {
        FloatVector m = FloatVector.broadcast(S, multiplier);
        FloatVector c = FloatVector.broadcast(S, addend);
        FloatVector a0 = FloatVector.broadcast(S, 1f + 0e-7f);
        FloatVector a1 = FloatVector.broadcast(S, 1f + 1e-7f);
        FloatVector a2 = FloatVector.broadcast(S, 1f + 2e-7f);
        FloatVector a3 = FloatVector.broadcast(S, 1f + 3e-7f);
        FloatVector a4 = FloatVector.broadcast(S, 1f + 4e-7f);
        FloatVector a5 = FloatVector.broadcast(S, 1f + 5e-7f);
        FloatVector a6 = FloatVector.broadcast(S, 1f + 6e-7f);
        FloatVector a7 = FloatVector.broadcast(S, 1f + 7e-7f);
        FloatVector a8 = FloatVector.broadcast(S, 1f + 8e-7f);
        FloatVector a9 = FloatVector.broadcast(S, 1f + 9e-7f);
        FloatVector a10 = FloatVector.broadcast(S, 1f + 10e-7f);
        FloatVector a11 = FloatVector.broadcast(S, 1f + 11e-7f);
        FloatVector a12 = FloatVector.broadcast(S, 1f + 12e-7f);
        FloatVector a13 = FloatVector.broadcast(S, 1f + 13e-7f);
        FloatVector a14 = FloatVector.broadcast(S, 1f + 14e-7f);
        FloatVector a15 = FloatVector.broadcast(S, 1f + 15e-7f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
            a12 = a12.fma(m, c);
            a13 = a13.fma(m, c);
            a14 = a14.fma(m, c);
            a15 = a15.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).add(a12).add(a13).add(a14).add(a15).reduceLanes(VectorOperators.ADD);
    }
}
