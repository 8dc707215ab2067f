package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.Tokenizer;
import java.nio.file.Path;

/**
 * Saves the benchmarks' seed Transformer (the reference configuration, d 64, 4 heads, 4 layers, initialised from seed
 * 1 on the benchmarks' generated corpus) as a model file, for {@code export_onnx.py} to turn into the graph that
 * {@link OnnxRuntimeBenchmark} runs on ONNX Runtime beside it.
 *
 * <pre>
 * java -cp benchmarks/jmh/target/benchmarks.jar dev.microdiffusion.benchmarks.SeedTransformerFile \
 *     benchmarks/jmh/target/onnx/seed-transformer.safetensors
 * </pre>
 */
public final class SeedTransformerFile {

    /** T: the Transformer's reverse steps, as in {@link SamplingBenchmark}. */
    static final int DIFFUSION_STEPS = 50;

    private SeedTransformerFile() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SeedTransformerFile MODEL.safetensors");
            System.exit(2);
        }
        Tokenizer tokenizer = Fixtures.tokenizer("transformer");
        Denoiser denoiser = Fixtures.denoiser("transformer", tokenizer, MatrixKernels.preferred());
        Path file = Path.of(args[0]);
        new DiffusionModel(tokenizer, denoiser, new CosineSchedule(), DIFFUSION_STEPS).save(file);
        System.out.println(file + ": " + denoiser);
    }
}
