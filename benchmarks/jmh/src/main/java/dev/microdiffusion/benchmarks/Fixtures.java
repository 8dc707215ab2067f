package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.internal.ModelSpec;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.mlp.MlpDenoiser;
import dev.microdiffusion.tokenizer.CharTokenizer;
import dev.microdiffusion.transformer.TransformerDenoiser;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Pre-built inputs for the benchmarks: the reference configurations of each denoiser on a chosen kernel, and a
 * corpus. Speed does not depend on which names are trained on, so the corpus is generated (5,000 random a–z names of
 * 3–10 letters): benchmarks need no data file.
 */
final class Fixtures {

    private Fixtures() {
    }

    static MatrixKernel kernel(String name) {
        return switch (name) {
            case "vector" -> {
                MatrixKernel k = MatrixKernels.vector().orElse(null);
                if (k == null) {
                    throw new IllegalStateException("the vector kernel needs --add-modules jdk.incubator.vector");
                }
                yield k;
            }
            case "ojalgo" -> MatrixKernels.portable();
            default -> throw new IllegalArgumentException("kernel " + name);
        };
    }

    static List<String> names() {
        Random random = new Random(1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = 3 + random.nextInt(8); n > 0; n--) {
                sb.append((char) ('a' + random.nextInt(26)));
            }
            names.add(sb.toString());
        }
        return names;
    }

    private static boolean builtIn(String denoiser) {
        return denoiser.equals("mlp") || denoiser.equals("mlp-skip") || denoiser.equals("transformer");
    }

    /** Row length of each denoiser's reference configuration; a plug-in's own default. */
    static int maxLength(String denoiser) {
        if (!builtIn(denoiser)) {
            return Registry.find(DenoiserProvider.class, denoiser).defaultMaxLength();
        }
        return denoiser.equals("transformer") ? 16 : 12;
    }

    static Tokenizer tokenizer(String denoiser) {
        return CharTokenizer.fit(names(), maxLength(denoiser));
    }

    /**
     * The reference configuration: mlp (hidden 256), mlp-skip (hidden 256, skip), transformer (d 64, 4×4); any other
     * registered denoiser by its provider's default configuration, on the kernel its provider picks (the preferred
     * one), so that a plug-in on the class path is benchmarked by name ({@code -p denoiser=my-name}).
     */
    static Denoiser denoiser(String name, Tokenizer tokenizer, MatrixKernel kernel) {
        DenoiserConfig config = new DenoiserConfig(tokenizer.vocabSize(), tokenizer.maxLength());
        var random = new RandomStreams(1).stream("init");
        if (!builtIn(name)) {
            if (!kernel.name().equals(MatrixKernels.preferred().name())) {
                throw new IllegalArgumentException("a plug-in denoiser runs on the kernel its provider picks ("
                        + MatrixKernels.preferred().name() + "): give -p kernel=" + (MatrixKernels.vector().isPresent()
                                ? "vector" : "ojalgo"));
            }
            return ModelSpec.of(name, tokenizer.name()).denoiser(tokenizer, random);
        }
        return switch (name) {
            case "mlp" -> new MlpDenoiser(name, config, 256, 1, MlpDenoiser.Scheme.HE, kernel, random);
            case "mlp-skip" -> new MlpDenoiser(name, config, 256, 2, MlpDenoiser.Scheme.XAVIER, kernel, random);
            case "transformer" -> new TransformerDenoiser(name, config, 64, 4, 4, kernel, random);
            default -> throw new IllegalArgumentException("denoiser " + name);
        };
    }

    /** {@code size} standard normal values: the benchmarks' matrices and activations. */
    static float[] gaussian(Random random, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
