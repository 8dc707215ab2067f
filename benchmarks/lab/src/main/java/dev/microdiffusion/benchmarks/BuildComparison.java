package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.Registry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Is one build faster than another? On a host whose speed drifts, two JMH runs minutes apart cannot say; this program
 * loads both builds' benchmark jars into one JVM, each in its own class loader, and alternates them call batch by
 * call batch for N rounds, so both see the same drift. The copy loaded first measured up to 10 % slower here, so each
 * comparison runs twice, in a fresh JVM per order, and the geometric mean of the two paired medians is the answer.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/lab/target/lab.jar dev.microdiffusion.benchmarks.BuildComparison \
 *     OLD.jar NEW.jar step DENOISER THREADS [ROUNDS]          (TrainingStepBenchmark.step; any registered denoiser)
 *     OLD.jar NEW.jar modelCall|wholeRun DENOISER [ROUNDS]    (SamplingBenchmark)
 *     OLD.jar NEW.jar multiply|multiplyTransposeAAdd|multiplyTransposeB MxKxN [ROUNDS]   (the vector kernel)
 * </pre>
 * The jars are {@code benchmarks/jmh/target/benchmarks.jar} of each build (copy the old one aside before rebuilding).
 */
public final class BuildComparison {

    private static final String ONE_ORDER = "--one-order";
    /** Every build has it, wherever its kernels live. */
    private static final String KERNELS = "dev.microdiffusion.core.math.MatrixKernels";
    private static final long TURN_NANOS = 200_000_000L;
    private static final long WARM_UP_NANOS = 3_000_000_000L;
    private static final long WARM_UP_TURN_NANOS = 100_000_000L;

    private BuildComparison() {
    }

    public static void main(String[] args) throws Exception {
        try {
            if (args.length > 0 && args[0].equals(ONE_ORDER)) {
                Workload[] pair = {workload(args, 1), workload(args, 2)};
                double[] ratio = alternate(pair, rounds(args, 3));
                System.out.printf(Locale.ROOT, "RATIO %.4f %.4f %.4f%n", Medians.median(ratio),
                        Medians.quantile(ratio, 0.25), Medians.quantile(ratio, 0.75));
                return;
            }
            workloadArguments(args, 0);
            double forward = child(args[0], args[1], args);
            double backward = child(args[1], args[0], args);
            System.out.printf(Locale.ROOT, "%s: new / old %.3f with the old build loaded first, %.3f with the new "
                    + "first; geometric mean %.3f%n", String.join(" ", List.of(args).subList(2, args.length)),
                    forward, 1 / backward, Math.sqrt(forward / backward));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs one order in a fresh JVM; returns its median of (first jar's time / second jar's time). */
    private static double child(String first, String second, String[] args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                BuildComparison.class.getName(), ONE_ORDER, first, second));
        command.addAll(List.of(args).subList(2, args.length));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String ratio = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RATIO ")) {
                    ratio = line;
                }
            }
        }
        if (process.waitFor() != 0 || ratio == null) {
            throw new IllegalStateException("the measuring JVM failed (exit " + process.exitValue() + ")");
        }
        String[] parts = ratio.split(" ");
        System.out.printf(Locale.ROOT, "  %s loaded first: median %s [%s, %s] (time of %s / time of %s)%n",
                Path.of(first).getFileName(), parts[1], parts[2], parts[3], Path.of(first).getFileName(),
                Path.of(second).getFileName());
        return Double.parseDouble(parts[1]);
    }

    /** One build's workload: a call to time. */
    private interface Workload {
        void run() throws Exception;
    }

    private static Workload workload(String[] args, int jar) throws Exception {
        String[] w = workloadArguments(args, 3);
        Path path = Path.of(args[jar]);
        URLClassLoader loader = new URLClassLoader(new URL[] {path.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        switch (w[0]) {
            case "step" -> {
                Class<?> c = loader.loadClass(TrainingStepBenchmark.class.getName());
                Object bench = c.getDeclaredConstructor().newInstance();
                c.getField("denoiser").set(bench, w[1]);
                c.getField("kernel").set(bench, "vector");
                c.getField("threads").set(bench, Integer.parseInt(w[2]));
                c.getField("objective").set(bench, "reference");
                setUp(c, bench, loader);
                Method step = c.getMethod("step");
                return () -> step.invoke(bench);
            }
            case "modelCall", "wholeRun" -> {
                Class<?> c = loader.loadClass(SamplingBenchmark.class.getName());
                Object bench = c.getDeclaredConstructor().newInstance();
                c.getField("denoiser").set(bench, w[1]);
                c.getField("kernel").set(bench, "vector");
                setUp(c, bench, loader);
                Method call = c.getMethod(w[0]);
                return () -> call.invoke(bench);
            }
            default -> {
                String[] shape = w[1].split("x");
                int m = Integer.parseInt(shape[0]);
                int k = Integer.parseInt(shape[1]);
                int n = Integer.parseInt(shape[2]);
                Class<?> kernels = loader.loadClass(KERNELS);
                Object kernel = ((java.util.Optional<?>) kernels.getMethod("vector").invoke(null)).orElseThrow();
                Method op = loader.loadClass("dev.microdiffusion.core.math.MatrixKernel").getMethod(w[0], float[].class, float[].class, float[].class, int.class,
                        int.class, int.class);
                Random random = new Random(1);
                float[] a = Fixtures.gaussian(random, m * Math.max(k, n));
                float[] b = Fixtures.gaussian(random, Math.max(k, m) * n + k * n);
                float[] c = new float[Math.max(m, k) * n];
                return () -> op.invoke(kernel, a, b, c, m, k, n);
            }
        }
    }

    /** Runs a benchmark's set-up with its build's loader as the context loader, where the registry finds providers. */
    private static void setUp(Class<?> benchmark, Object bench, ClassLoader loader) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            benchmark.getMethod("setUp").invoke(bench);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Checks the workload's arguments (from index {@code from}) before anything runs; returns them. */
    private static String[] workloadArguments(String[] args, int from) {
        int at = from == 0 ? 2 : from;
        if (from == 0) {
            if (args.length < 4) {
                throw new IllegalArgumentException("usage: BuildComparison OLD.jar NEW.jar (step DENOISER THREADS | "
                        + "modelCall DENOISER | wholeRun DENOISER | multiply|multiplyTransposeAAdd|multiplyTransposeB "
                        + "MxKxN) [ROUNDS]");
            }
            for (int j = 0; j < 2; j++) {
                if (!Files.isRegularFile(Path.of(args[j]))) {
                    throw new IllegalArgumentException("no such benchmarks jar: " + args[j]);
                }
            }
        }
        String kind = args[at];
        int count = kind.equals("step") ? 3 : 2;
        if (args.length < at + count || args.length > at + count + 1) {
            throw new IllegalArgumentException("'" + kind + "' takes " + (count - 1) + " argument(s) and ROUNDS");
        }
        String[] w = List.of(args).subList(at, at + count).toArray(String[]::new);
        switch (kind) {
            case "step", "modelCall", "wholeRun" -> {
                if (!Registry.names(DenoiserProvider.class).contains(w[1])) {
                    throw new IllegalArgumentException("DENOISER must be a registered denoiser ("
                            + String.join(", ", Registry.names(DenoiserProvider.class)) + "), got '" + w[1] + "'");
                }
                if (kind.equals("step")) {
                    InterleavedStepBenchmark.positive("THREADS", w[2]);
                }
            }
            case "multiply", "multiplyTransposeAAdd", "multiplyTransposeB" -> {
                String[] shape = w[1].split("x");
                if (shape.length != 3) {
                    throw new IllegalArgumentException("the shape must be MxKxN, got '" + w[1] + "'");
                }
                long cells = 1;
                for (String side : shape) {
                    cells *= InterleavedStepBenchmark.positive("a side of the shape", side);
                }
                if (cells > 1L << 28) {
                    throw new IllegalArgumentException("the shape " + w[1] + " is too large to benchmark here");
                }
            }
            default -> throw new IllegalArgumentException("no workload '" + kind + "': step, modelCall, wholeRun, "
                    + "multiply, multiplyTransposeAAdd, multiplyTransposeB");
        }
        if (args.length == at + count + 1) {
            InterleavedStepBenchmark.positive("ROUNDS", args[at + count]);
        }
        return w;
    }

    private static int rounds(String[] args, int from) {
        int count = args[from].equals("step") ? 3 : 2;
        return args.length > from + count ? InterleavedStepBenchmark.positive("ROUNDS", args[from + count]) : 20;
    }

    /**
     * Warms both up turn by turn, then alternates turns (order swapped every round); returns time(first) /
     * time(second). The warm-up alternates too: warmed one after the other, the first copy's compiled code met the
     * second copy's classes only once compiled (its dependencies invalidated, its profiles polluted late), and two
     * copies of one build measured 1.2× and 1.95× apart on a two-thread Transformer step.
     */
    private static double[] alternate(Workload[] pair, int rounds) throws Exception {
        long[] spent = new long[2];
        int[] count = new int[2];
        long end = System.nanoTime() + 2 * WARM_UP_NANOS;
        while (System.nanoTime() < end) {
            for (int v = 0; v < 2; v++) {
                long start = System.nanoTime();
                do {
                    invoke(pair[v]);
                    count[v]++;
                } while (System.nanoTime() - start < WARM_UP_TURN_NANOS);
                spent[v] += System.nanoTime() - start;
            }
        }
        int batch = Integer.MAX_VALUE;
        for (int v = 0; v < 2; v++) {
            batch = Math.min(batch, Math.max(1, (int) (count[v] * (double) TURN_NANOS / spent[v])));
        }
        double[][] time = new double[2][rounds];
        double[] ratio = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < 2; turn++) {
                int v = (round + turn) % 2;
                long start = System.nanoTime();
                for (int i = 0; i < batch; i++) {
                    invoke(pair[v]);
                }
                time[v][round] = System.nanoTime() - start;
            }
            ratio[round] = time[0][round] / time[1][round];
        }
        return ratio;
    }

    private static void invoke(Workload w) throws Exception {
        try {
            w.run();
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }
}
