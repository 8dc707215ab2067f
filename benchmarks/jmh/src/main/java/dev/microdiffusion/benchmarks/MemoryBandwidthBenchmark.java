package dev.microdiffusion.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
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
 * How many bytes per second can one core stream, at working sets that live in L2, in L3 and in memory? STREAM's
 * triad a = b + s·c on float arrays, with the Vector API; {@code gbytes} counts 12 bytes per element (two reads, one
 * write, STREAM's convention: the write-allocate read is not counted). The bound an optimizer step or a pass over
 * gradients can reach (see the MLP analysis in {@code RESULTS.md}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
public class MemoryBandwidthBenchmark {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Floats per array: three arrays of 256 KB (L2), 8 MB (L3), 128 MB (memory). */
    @Param({"65536", "2097152", "33554432"})
    public int floats;

    private float[] a;
    private float[] b;
    private float[] c;

    /** Counts GB moved; JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public double gbytes;

        @Setup(Level.Iteration)
        public void reset() {
            gbytes = 0;
        }
    }

    @Setup
    public void setUp() {
        int n = floats / S.length() * S.length();
        a = new float[n];
        b = new float[n];
        c = new float[n];
        for (int i = 0; i < n; i++) {
            b[i] = i;
            c[i] = 1f / (i + 1);
        }
    }

    @Benchmark
    public float[] triad(Bytes bytes) {
        FloatVector s = FloatVector.broadcast(S, 0.5f);
        for (int i = 0; i < a.length; i += S.length()) {
            FloatVector.fromArray(S, c, i).fma(s, FloatVector.fromArray(S, b, i)).intoArray(a, i);
        }
        bytes.gbytes += 12e-9 * a.length;
        return a;
    }
}
