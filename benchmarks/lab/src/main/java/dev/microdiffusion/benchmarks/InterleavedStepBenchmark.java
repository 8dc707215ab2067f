package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.internal.training.Trainer;
import dev.microdiffusion.core.training.Objective;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How fast is a training step, and how far from this core's FMA ceiling, when the machine's speed drifts? On a
 * shared host the FMA loop of {@link FmaPeakBenchmark} alone moved 40 % from one second to the next, so JMH runs
 * minutes apart cannot give a fair ratio. This program runs {@link TrainingStepBenchmark}'s steps at several thread
 * counts interleaved in one JVM, round after round, with the FMA loop timed in every round on as many threads as each
 * configuration uses, and reports medians over the rounds: steps/s, product GFLOP/s (counted by
 * {@link CountingKernel} over one step), that rate as a fraction of the FMA loop's on the same threads in the same
 * round, and each configuration's paired ratio to the first (with the FMA loop's own ratio: two threads of it need
 * not double one where the host shares cores).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/lab/target/lab.jar \
 *     dev.microdiffusion.benchmarks.InterleavedStepBenchmark transformer 1,2 [ROUNDS [OBJECTIVE]]
 * </pre>
 */
public final class InterleavedStepBenchmark {

    private static final long WARM_UP_NANOS = 4_000_000_000L;
    private static final long TURN_NANOS = 250_000_000L;
    private static final int FMA_ITERATIONS = 2_000_000;

    private InterleavedStepBenchmark() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) {
        if (args.length < 2 || args.length > 4) {
            throw new IllegalArgumentException("usage: InterleavedStepBenchmark DENOISER THREADS[,THREADS...] [ROUNDS "
                    + "[OBJECTIVE]]  (DENOISER: mlp, mlp-skip, transformer)");
        }
        String denoiser = args[0];
        if (!List.of("mlp", "mlp-skip", "transformer").contains(denoiser)) {
            throw new IllegalArgumentException("DENOISER must be mlp, mlp-skip or transformer, got '" + denoiser + "'");
        }
        int[] threads = Arrays.stream(args[1].split(",")).mapToInt(t -> positive("THREADS", t)).toArray();
        int rounds = args.length > 2 ? positive("ROUNDS", args[2]) : 20;
        String objective = args.length > 3 ? args[3] : "reference";
        Objective.parse(objective);

        CountingKernel counter = new CountingKernel(Fixtures.kernel("vector"));
        double flopsPerStep;
        try (Trainer.Session counting = TrainingStepBenchmark.session(denoiser, counter, 1, objective)) {
            counting.step();
            counter.reset();
            counting.step();
            flopsPerStep = counter.flops();
        }
        List<Trainer.Session> sessions = new ArrayList<>();
        try {
            for (int t : threads) {
                sessions.add(TrainingStepBenchmark.session(denoiser, Fixtures.kernel("vector"), t, objective));
            }
            measure(denoiser, objective, threads, rounds, flopsPerStep, sessions);
        } finally {
            sessions.forEach(Trainer.Session::close);
        }
    }

    private static void measure(String denoiser, String objective, int[] threads, int rounds, double flopsPerStep,
            List<Trainer.Session> sessions) {
        int n = sessions.size();
        float sink = 0;
        // many short calls first, so the loop has its standard C2 compilation and not only an OSR one: two runs warmed
        // with ten long calls measured it at a tenth of its rate in every round (a step "at 210 %" of it; not
        // reproduced since). A loop that still allocates runs boxed vectors, and its rates say nothing of the machine.
        for (int w = 0; w < 20_000; w++) {
            sink += FmaPeakBenchmark.chains(0.9999999f, 1e-7f, 1_000);
        }
        for (int w = 0; w < 10; w++) {
            sink += FmaPeakBenchmark.chains(0.9999999f, 1e-7f, FMA_ITERATIONS);
        }
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = bean.getCurrentThreadAllocatedBytes();
        sink += FmaPeakBenchmark.chains(0.9999999f, 1e-7f, FMA_ITERATIONS);
        allocated = bean.getCurrentThreadAllocatedBytes() - allocated;
        if (allocated > 1 << 16) {
            System.out.printf(Locale.ROOT, "warning: one call of the FMA loop allocated %,d bytes (boxed vectors, not "
                    + "compiled): its rates below are not the machine's%n", allocated);
        }
        int[] steps = new int[n];
        for (int c = 0; c < n; c++) {
            long start = System.nanoTime();
            int count = 0;
            while (System.nanoTime() - start < WARM_UP_NANOS) {
                sessions.get(c).step();
                count++;
            }
            // a turn of about TURN_NANOS at the warmed-up rate
            steps[c] = Math.max(1, (int) (count * (double) TURN_NANOS / (System.nanoTime() - start)));
        }
        double[][] rate = new double[n][rounds];
        double[][] peak = new double[n][rounds];
        ExecutorService pool = Executors.newFixedThreadPool(Arrays.stream(threads).max().getAsInt(), r -> {
            Thread t = new Thread(r, "fma-loop");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int round = 0; round < rounds; round++) {
                for (int turn = 0; turn < n; turn++) {
                    int c = (round + turn) % n;
                    long start = System.nanoTime();
                    for (int s = 0; s < steps[c]; s++) {
                        sessions.get(c).step();
                    }
                    rate[c][round] = steps[c] * 1e9 / (System.nanoTime() - start);
                    peak[c][round] = fmaRate(pool, threads[c]);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf(Locale.ROOT, "%s, objective %s: %.3f GFLOP of products per step; %d rounds%n", denoiser,
                objective, flopsPerStep * 1e-9, rounds);
        for (int c = 0; c < n; c++) {
            double[] fraction = new double[rounds];
            double[] ratio = new double[rounds];
            double[] peakRatio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                fraction[r] = rate[c][r] * flopsPerStep * 1e-9 / peak[c][r];
                ratio[r] = rate[c][r] / rate[0][r];
                peakRatio[r] = peak[c][r] / peak[0][r];
            }
            System.out.printf(Locale.ROOT, "  %d thread(s): %7.1f steps/s  %6.1f GFLOP/s = %5.1f %% of the FMA loop on "
                    + "as many threads (%.1f GFLOP/s); ×%.3f the first [%.3f, %.3f], the FMA loop ×%.3f%n", threads[c],
                    Medians.median(rate[c]), Medians.median(rate[c]) * flopsPerStep * 1e-9, 100 * Medians.median(fraction), Medians.median(peak[c]),
                    Medians.median(ratio), Medians.quantile(ratio, 0.25), Medians.quantile(ratio, 0.75), Medians.median(peakRatio));
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    /** GFLOP/s of the FMA loop run on {@code threads} threads at once. */
    private static double fmaRate(ExecutorService pool, int threads) {
        List<Callable<Float>> loops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            loops.add(() -> FmaPeakBenchmark.chains(0.9999999f, 1e-7f, FMA_ITERATIONS));
        }
        long start = System.nanoTime();
        try {
            for (Future<Float> f : pool.invokeAll(loops)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return threads * FmaPeakBenchmark.gflop(FMA_ITERATIONS) * 1e9 / (System.nanoTime() - start);
    }

    /** {@code value} as a whole number ≥ 1, or an error naming {@code name}. */
    static int positive(String name, String value) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number ≥ 1, got '" + value + "'");
    }
}
