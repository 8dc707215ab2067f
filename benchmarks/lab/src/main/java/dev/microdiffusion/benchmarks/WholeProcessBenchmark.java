package dev.microdiffusion.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a user waits for: the command line's {@code train} and {@code sample} as whole processes — JVM start, corpus,
 * warm-up, evaluation and saving included — timed from launch to exit, several runs each, beside the Python peers
 * ({@code benchmarks/lab/src/main/python/peers.py}, NumPy and PyTorch on OpenBLAS) when a Python with them is given. A
 * regression in start-up, loading or evaluation shows here, not in the JMH hot loops. Every run is checked to exit 0.
 *
 * <pre>
 * java -cp benchmarks/lab/target/lab.jar dev.microdiffusion.benchmarks.WholeProcessBenchmark \
 *     examples/cli/target/microdiffusion.jar /tmp/whole 3 [/usr/bin/python3]
 * </pre>
 *
 * {@code -Djobs=mlp} runs only the jobs whose name contains "mlp". The JVM runs with {@code --add-modules jdk.incubator.vector}, one thread ({@code --threads 1}), as the README's
 * command does otherwise; the peers with one OpenBLAS and one PyTorch thread. The environment's
 * {@code OPENBLAS_CORETYPE} is passed on as it is: set it where OpenBLAS cannot tell the processor (see peers.py).
 */
public final class WholeProcessBenchmark {

    private WholeProcessBenchmark() {
    }

    record Job(String name, List<String> command) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: WholeProcessBenchmark CLI_JAR WORK_DIR RUNS [PYTHON]");
            System.exit(2);
        }
        Path jar = Path.of(args[0]).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            System.err.println("WholeProcessBenchmark: " + jar + " is not a file (build with mvn -DskipTests package)");
            System.exit(2);
        }
        Path work = Files.createDirectories(Path.of(args[1]));
        int runs = Integer.parseInt(args[2]);
        String python = args.length > 3 ? args[3] : null;
        Path peers = Path.of("benchmarks/lab/src/main/python/peers.py").toAbsolutePath();
        if (python != null && !Files.isRegularFile(peers)) {
            System.err.println("WholeProcessBenchmark: run from the repository root, " + peers + " is not there");
            System.exit(2);
        }
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-jar", jar.toString());
        Path mlp = work.resolve("mlp.safetensors");
        Path transformer = work.resolve("transformer.safetensors");
        List<Job> jobs = new ArrayList<>();
        // one step and 500 steps beside 5,000: what the process spends before its first step, and in warm-up
        jobs.add(new Job("train mlp, 1 step", concat(java, "train", "--steps", "1", "--threads", "1", "--save",
                work.resolve("mlp-1.safetensors").toString())));
        jobs.add(new Job("train mlp, 500 steps", concat(java, "train", "--steps", "500", "--threads", "1",
                "--save", work.resolve("mlp-500.safetensors").toString())));
        jobs.add(new Job("train mlp, 5,000 steps", concat(java, "train", "--steps", "5000", "--threads", "1",
                "--save", mlp.toString())));
        jobs.add(new Job("train transformer, 3,000 steps", concat(java, "train", "--denoiser", "transformer",
                "--steps", "3000", "--threads", "1", "--save", transformer.toString())));
        jobs.add(new Job("sample mlp, 10,000 names", concat(java, "sample", "--model", mlp.toString(), "--samples",
                "10000", "--threads", "1")));
        jobs.add(new Job("sample transformer, 10,000 names", concat(java, "sample", "--model",
                transformer.toString(), "--samples", "10000", "--threads", "1")));
        if (python != null) {
            jobs.add(new Job("peer: NumPy mlp, 5,000 steps", List.of(python, peers.toString(), "mlp", "5000")));
            jobs.add(new Job("peer: NumPy mlp by gather, 5,000 steps", List.of(python, peers.toString(),
                    "mlp-gather", "5000")));
            jobs.add(new Job("peer: PyTorch transformer, 3,000 steps", List.of(python, peers.toString(),
                    "transformer", "3000")));
        }
        String only = System.getProperty("jobs", "");
        jobs.removeIf(job -> !job.name().contains(only));
        System.out.printf("%s; %s %s; %d runs each%n", jar.getFileName(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), runs);
        for (Job job : jobs) {
            double[] seconds = new double[runs];
            for (int r = 0; r < runs; r++) {
                seconds[r] = time(job, work);
            }
            Arrays.sort(seconds);
            System.out.printf(Locale.ROOT, "%-40s best %6.2f s   median %6.2f s%n", job.name(), seconds[0],
                    seconds[runs / 2]);
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** Wall seconds from launch to exit; a run that fails or takes over ten minutes stops the benchmark. */
    private static double time(Job job, Path work) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(job.command()).directory(work.toFile())
                .redirectOutput(work.resolve("out.txt").toFile()).redirectError(work.resolve("err.txt").toFile());
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(job.name() + " took over ten minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (process.exitValue() != 0) {
            throw new IllegalStateException(job.name() + " exited " + process.exitValue() + ": "
                    + Files.readString(work.resolve("err.txt"), StandardCharsets.UTF_8).strip());
        }
        return seconds;
    }
}
