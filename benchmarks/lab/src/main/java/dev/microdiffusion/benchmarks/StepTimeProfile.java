package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.internal.training.Trainer;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Where does the Transformer's time go? The benchmarks' training step ({@link TrainingStepBenchmark}: batch 64, the
 * reference objective, one thread) and its model call on 64 all-masked rows ({@link SamplingBenchmark#modelCall}),
 * each on a {@link TimingKernel} over the vector kernel, after a warm-up: the time per step of each kernel operation
 * and its share, and what is left outside the kernel (sampling the batch and its masks, embeddings, the loss's
 * normalisation, clipping, Adam and the weight average). A profile, not a benchmark: the clock reads add ~1 %.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/lab/target/lab.jar \
 *     dev.microdiffusion.benchmarks.StepTimeProfile [STEPS]
 * </pre>
 */
public final class StepTimeProfile {

    private StepTimeProfile() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        TimingKernel kernel = new TimingKernel(Fixtures.kernel("vector"));
        try (Trainer.Session session = TrainingStepBenchmark.session("transformer", kernel, 1, "reference")) {
            for (int i = 0; i < 3000; i++) {
                session.step();
            }
            kernel.reset();
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                session.step();
            }
            print("Transformer training step, batch 64, one thread", System.nanoTime() - start, steps,
                    kernel.nanos(), "the rest: batch, masks, embeddings, loss, clipping, Adam, average");
        }
        Tokenizer tokenizer = Fixtures.tokenizer("transformer");
        Denoiser denoiser = Fixtures.denoiser("transformer", tokenizer, kernel);
        Denoiser.Pass pass = denoiser.newPass(SamplingBenchmark.BATCH);
        int[] masked = new int[SamplingBenchmark.BATCH * tokenizer.maxLength()];
        Arrays.fill(masked, tokenizer.maskId());
        float[] times = new float[SamplingBenchmark.BATCH];
        Arrays.fill(times, 1f);
        float[] logits = new float[masked.length * tokenizer.vocabSize()];
        for (int i = 0; i < 5000; i++) {
            pass.forward(masked, times, SamplingBenchmark.BATCH, logits);
        }
        kernel.reset();
        int calls = 2 * steps;
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            pass.forward(masked, times, SamplingBenchmark.BATCH, logits);
        }
        print("Transformer model call, 64 × 16", System.nanoTime() - start, calls, kernel.nanos(),
                "the rest: embeddings, time MLP's input, residual adds");
    }

    private static void print(String title, long total, int count, Map<String, Long> byOperation, String rest) {
        System.out.printf(Locale.ROOT, "%n%s: %.1f µs each (%d)%n", title, total / 1e3 / count, count);
        System.out.println("| operation | µs each | share |");
        System.out.println("|---|---|---|");
        long inKernel = 0;
        for (Map.Entry<String, Long> e : byOperation.entrySet()) {
            inKernel += e.getValue();
            row(e.getKey(), e.getValue(), total, count);
        }
        row(rest, total - inKernel, total, count);
    }

    private static void row(String what, long nanos, long total, int count) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f %% |%n", what, nanos / 1e3 / count, 100.0 * nanos / total);
    }
}
