package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.spi.Denoiser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Is the library's Transformer faster than ONNX Runtime on the same model? The same weights run by both in one JVM:
 * {@code libraryForward} / {@code onnxRuntimeForward}, one model call on {@code batch} all-masked rows at t = 1;
 * {@code librarySampling} / {@code onnxRuntimeSampling}, {@code batch} names by the confidence sampler over T = 50
 * steps, both driven by the library's {@link Generation} (the peer behind the {@link Denoiser} interface).
 *
 * <p>On {@code threads} threads: the library splits the rows between that many passes (the way its generation
 * spreads work); ONNX Runtime gets that many intra-op threads (its own way: {@code onnxRuntimeForward},
 * {@code onnxRuntimeSampling}) or, the peer's other best, the rows split the library's way between one-thread sessions
 * ({@code onnxRuntimeForwardSplit}, {@code onnxRuntimeSamplingSplit}; on one thread the same as the first pair). Before anything is timed, the setup checks
 * that the two give the same logits (largest difference at most {@value #PARITY}) on random inputs of the batch.
 *
 * <p>The graph is made from the seed Transformer's file by the export script (PyTorch is needed once, not here):
 *
 * <pre>
 * java -cp benchmarks/jmh/target/benchmarks.jar dev.microdiffusion.benchmarks.SeedTransformerFile \
 *     benchmarks/jmh/target/onnx/seed.safetensors
 * python3 denoiser-transformer/src/test/python/export_onnx.py benchmarks/jmh/target/onnx/seed.safetensors \
 *     benchmarks/jmh/target/onnx/seed.onnx
 * java --add-modules jdk.incubator.vector -jar benchmarks/jmh/target/benchmarks.jar OnnxRuntimeBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// the library's Transformer needs ~10 s of model calls before C2 settles (see SamplingBenchmark)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class OnnxRuntimeBenchmark {

    /** The largest difference of a logit between the library and ONNX Runtime that counts as the same model. */
    static final double PARITY = 1e-5;

    @Param({"1", "8", "64", "256"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    /** The model file ({@link SeedTransformerFile}). */
    @Param("benchmarks/jmh/target/onnx/seed.safetensors")
    public String model;

    /** Its graph ({@code export_onnx.py}). */
    @Param("benchmarks/jmh/target/onnx/seed.onnx")
    public String graph;

    private OnnxRuntimeDenoiser peer;
    /** One-thread sessions' passes, one per share of the rows. */
    private OnnxRuntimeDenoiser splitPeer;
    private Denoiser.Pass[] splitPasses;
    private float[][] splitLogits;
    private Generation splitSampling;
    private ExecutorService helpers;
    private Denoiser.Pass[] libraryPasses;
    private int[][] libraryTokens;
    private float[][] libraryTimes;
    private float[][] libraryLogits;
    private Denoiser.Pass peerPass;
    private int[] tokens;
    private float[] times;
    private float[] logits;
    private Generation librarySampling;
    private Generation peerSampling;

    @Setup
    public void setUp() throws Exception {
        for (String file : new String[] {model, graph}) {
            if (!Files.isRegularFile(Path.of(file))) {
                throw new IllegalArgumentException(file + " does not exist: make it as the class comment says");
            }
        }
        DiffusionModel library = DiffusionModel.load(Path.of(model));
        Denoiser denoiser = library.denoiser();
        peer = new OnnxRuntimeDenoiser(Path.of(graph), denoiser.config(), threads);
        double difference = largestDifference(denoiser, peer, library.tokenizer().maskId(), batch, 1);
        System.out.printf("%n%s on ONNX Runtime: largest logit difference %.3g over %d random rows%n", denoiser,
                difference, batch);
        if (!(difference <= PARITY)) {
            throw new IllegalStateException(graph + " is not " + model + ": logits differ by " + difference);
        }
        int length = denoiser.maxLength();
        int vocab = denoiser.vocabSize();
        int maskId = library.tokenizer().maskId();
        int parts = Math.min(threads, batch);
        helpers = Executors.newFixedThreadPool(Math.max(1, parts - 1));
        libraryPasses = new Denoiser.Pass[parts];
        libraryTokens = new int[parts][];
        libraryTimes = new float[parts][];
        libraryLogits = new float[parts][];
        for (int p = 0; p < parts; p++) {
            int rows = rows(p, parts);
            libraryPasses[p] = denoiser.newPass(rows);
            libraryTokens[p] = filled(rows * length, maskId);
            libraryTimes[p] = new float[rows];
            Arrays.fill(libraryTimes[p], 1f);
            libraryLogits[p] = new float[rows * length * vocab];
        }
        peerPass = peer.newPass(batch);
        tokens = filled(batch * length, maskId);
        times = new float[batch];
        Arrays.fill(times, 1f);
        logits = new float[batch * length * vocab];
        int rowsPerPass = (batch + parts - 1) / parts;
        librarySampling = library.generation().count(batch).batchSize(rowsPerPass).threads(parts)
                .steps(SeedTransformerFile.DIFFUSION_STEPS).seed(1).build();
        DiffusionModel onPeer = new DiffusionModel(library.tokenizer(), peer, library.schedule(),
                library.diffusionSteps());
        peerSampling = onPeer.generation().count(batch).batchSize(batch).threads(1)
                .steps(SeedTransformerFile.DIFFUSION_STEPS).seed(1).build();
        splitPeer = new OnnxRuntimeDenoiser(Path.of(graph), denoiser.config(), 1);
        splitPasses = new Denoiser.Pass[parts];
        splitLogits = new float[parts][];
        for (int p = 0; p < parts; p++) {
            splitPasses[p] = splitPeer.newPass(libraryTimes[p].length);
            splitLogits[p] = new float[libraryLogits[p].length];
        }
        splitSampling = new DiffusionModel(library.tokenizer(), splitPeer, library.schedule(), library.diffusionSteps())
                .generation().count(batch).batchSize(rowsPerPass).threads(parts)
                .steps(SeedTransformerFile.DIFFUSION_STEPS).seed(1).build();
    }

    @TearDown
    public void tearDown() throws Exception {
        helpers.shutdownNow();
        peer.close();
        splitPeer.close();
    }

    @Benchmark
    public float[][] libraryForward() throws InterruptedException, ExecutionException {
        split(libraryPasses, libraryLogits);
        return libraryLogits;
    }

    @Benchmark
    public float[][] onnxRuntimeForwardSplit() throws InterruptedException, ExecutionException {
        split(splitPasses, splitLogits);
        return splitLogits;
    }

    @Benchmark
    public float[] onnxRuntimeForward() {
        peerPass.forward(tokens, times, batch, logits);
        return logits;
    }

    @Benchmark
    public List<String> librarySampling() {
        return librarySampling.generate();
    }

    @Benchmark
    public List<String> onnxRuntimeSampling() {
        return peerSampling.generate();
    }

    @Benchmark
    public List<String> onnxRuntimeSamplingSplit() {
        return splitSampling.generate();
    }

    /** Each pass's share of the rows, the first on this thread and the others on the helpers, at once. */
    private void split(Denoiser.Pass[] passes, float[][] logits) throws InterruptedException, ExecutionException {
        int parts = passes.length;
        Future<?>[] others = new Future<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int part = p;
            others[p - 1] = helpers.submit(() -> forwardPart(passes, logits, part));
        }
        forwardPart(passes, logits, 0);
        for (Future<?> other : others) {
            other.get();
        }
    }

    private void forwardPart(Denoiser.Pass[] passes, float[][] logits, int p) {
        passes[p].forward(libraryTokens[p], libraryTimes[p], libraryTimes[p].length, logits[p]);
    }

    /** {@return rows of part {@code p} of {@code parts}: the batch split as evenly as it goes} */
    private int rows(int p, int parts) {
        return batch / parts + (p < batch % parts ? 1 : 0);
    }

    private static int[] filled(int size, int value) {
        int[] a = new int[size];
        Arrays.fill(a, value);
        return a;
    }

    /**
     * {@return the largest difference between the two denoisers' logits on {@code rows} random rows} Each position is
     * masked with probability t (t uniform per row), otherwise any id: the inputs sampling meets, and more.
     */
    static double largestDifference(Denoiser a, Denoiser b, int maskId, int rows, long seed) {
        int length = a.maxLength();
        int vocab = a.vocabSize();
        if (b.maxLength() != length || b.vocabSize() != vocab) {
            throw new IllegalArgumentException(a + " and " + b + " differ in shape");
        }
        Random random = new Random(seed);
        int[] tokens = new int[rows * length];
        float[] times = new float[rows];
        for (int r = 0; r < rows; r++) {
            times[r] = random.nextFloat();
            for (int i = 0; i < length; i++) {
                tokens[r * length + i] = random.nextFloat() < times[r] ? maskId : random.nextInt(vocab);
            }
        }
        float[] fromA = new float[rows * length * vocab];
        float[] fromB = new float[rows * length * vocab];
        a.newPass(rows).forward(tokens, times, rows, fromA);
        b.newPass(rows).forward(tokens, times, rows, fromB);
        double largest = 0;
        for (int i = 0; i < fromA.length; i++) {
            largest = Math.max(largest, Math.abs((double) fromA[i] - fromB[i]));
        }
        return largest; // NaN when either gives a NaN
    }
}
