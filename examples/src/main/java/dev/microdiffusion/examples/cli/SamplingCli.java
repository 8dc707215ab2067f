package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.ConfidenceMeasure;
import dev.microdiffusion.core.Registry;
import dev.microdiffusion.core.SamplerProvider;
import dev.microdiffusion.core.SamplingOptions;
import picocli.CommandLine.Option;

/** The sampling options every command that generates shares. */
final class SamplingCli {

    @Option(names = "--sampler", defaultValue = "confidence",
            description = "sampler (${DEFAULT-VALUE}): confidence, ancestral, remask-lowconf, remask-random, threshold, blocks")
    String sampler;

    @Option(names = "--sampling-steps", paramLabel = "T", description = "reverse steps (default: the model's training T)")
    Integer steps;

    @Option(names = "--temperature", defaultValue = "0.8", description = "sampling temperature (${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "keep the k most likely tokens (${DEFAULT-VALUE}: all)")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "nucleus: keep the most likely tokens up to this mass (${DEFAULT-VALUE}: all)")
    double topP;

    @Option(names = "--confidence", defaultValue = "max-probability",
            description = "confidence measure (${DEFAULT-VALUE}): max-probability, drawn-probability, margin, negative-entropy")
    String confidence;

    @Option(names = "--threshold", defaultValue = "0.9", description = "threshold sampler: reveal above this confidence (${DEFAULT-VALUE})")
    double threshold;

    @Option(names = "--block-length", defaultValue = "4", description = "blocks sampler: positions per block (${DEFAULT-VALUE})")
    int blockLength;

    @Option(names = "--inner-sampler", defaultValue = "confidence", description = "blocks sampler: sampler inside a block (${DEFAULT-VALUE})")
    String innerSampler;

    @Option(names = "--reference-decoding",
            description = "as the reference: MASK may be drawn, and PAD and MASK are dropped wherever they stand "
                    + "(default: never MASK, a name ends at its first PAD)")
    boolean referenceDecoding;

    SamplerProvider provider() {
        return Registry.find(SamplerProvider.class, sampler);
    }

    SamplingOptions options(int trainingSteps) {
        return options(trainingSteps, temperature);
    }

    /** The options at another temperature (a sweep). */
    SamplingOptions options(int trainingSteps, double tau) {
        if (!innerSampler.equals("blocks")) {
            Registry.find(SamplerProvider.class, innerSampler);
        }
        SamplingOptions.Builder b = new SamplingOptions(steps != null ? steps : trainingSteps, tau).toBuilder()
                .topK(topK).topP(topP).confidence(ConfidenceMeasure.parse(confidence)).threshold(threshold)
                .blockLength(blockLength).innerSampler(innerSampler);
        if (referenceDecoding) {
            b.emitMask(true).endAtFirstPad(false);
        }
        return b.build();
    }
}
