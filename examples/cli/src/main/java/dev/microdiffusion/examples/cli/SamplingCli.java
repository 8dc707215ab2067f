package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.sampling.ConfidenceMeasure;
import dev.microdiffusion.core.sampling.SamplingOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** The sampling options every command that generates shares; they set up a {@link Generation}. */
final class SamplingCli {

    @Option(names = "--sampler", defaultValue = Generation.Builder.DEFAULT_SAMPLER,
            description = "sampler (${DEFAULT-VALUE}): confidence, ancestral, remask-lowconf, remask-random, threshold, blocks")
    String sampler;

    @Option(names = "--sampler-option", paramLabel = "KEY=VALUE",
            description = "a setting of the sampler, e.g. threshold=0.5 for threshold, length=3 for blocks")
    Map<String, String> samplerOptions = new LinkedHashMap<>();

    @Option(names = "--sampling-steps", paramLabel = "T", description = "reverse steps (default: the model's training T)")
    Integer steps;

    @Option(names = "--temperature", defaultValue = "" + Generation.Builder.DEFAULT_TEMPERATURE, description = "sampling temperature (${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", defaultValue = "" + SamplingOptions.DEFAULT_TOP_K, description = "keep the k most likely tokens (${DEFAULT-VALUE}: all)")
    int topK;

    @Option(names = "--top-p", defaultValue = "" + SamplingOptions.DEFAULT_TOP_P, description = "nucleus: keep the most likely tokens up to this mass (${DEFAULT-VALUE}: all)")
    double topP;

    @Option(names = "--confidence", defaultValue = "max-probability",
            description = "confidence measure (${DEFAULT-VALUE}): max-probability, drawn-probability, margin, negative-entropy")
    String confidence;

    @Option(names = "--threshold", description = "threshold sampler: reveal above this confidence (default: the sampler's; see --list)")
    Double threshold;

    @Option(names = "--block-length", description = "blocks sampler: positions per block (default: the sampler's; see --list)")
    Integer blockLength;

    @Option(names = "--inner-sampler", description = "blocks sampler: sampler inside a block (default: the sampler's; see --list)")
    String innerSampler;

    @Option(names = "--label", description = "generate for this label of a conditional model (see train --labels)")
    String label;

    @Option(names = "--guidance", defaultValue = "" + SamplingOptions.DEFAULT_GUIDANCE,
            description = "classifier-free guidance towards --label: (1+γ)·log p(x|label) − γ·log p(x) (${DEFAULT-VALUE}: plain conditional)")
    double guidance;

    @Option(names = "--reference-decoding",
            description = "as the reference: MASK may be drawn, and PAD and MASK are dropped wherever they stand "
                    + "(default: never MASK, a name ends at its first PAD)")
    boolean referenceDecoding;

    @Option(names = "--keep-lengths", negatable = true,
            description = "the temperature leaves PAD at its τ = 1 probability, so names keep the data's lengths "
                    + "(default: on; off with --reference-decoding)")
    Boolean keepLengths;

    /** Sets this command line's sampler, its settings and the shared options on a generation. */
    Generation.Builder apply(Generation.Builder generation) {
        return apply(generation, temperature);
    }

    /** The same at another temperature (a sweep). */
    Generation.Builder apply(Generation.Builder generation, double tau) {
        generation.sampler(sampler).samplerSettings(samplerSettings()).temperature(tau).topK(topK).topP(topP)
                .confidence(ConfidenceMeasure.parse(confidence)).referenceDecoding(referenceDecoding);
        if (keepLengths != null) {
            generation.keepLengths(keepLengths);
        }
        if (steps != null) {
            generation.steps(steps);
        }
        if (label != null) {
            generation.label(label);
        }
        return generation.guidance(guidance);
    }

    /** --sampler-option, with the shorthand options put where their sampler reads them. */
    private Map<String, String> samplerSettings() {
        Map<String, String> settings = new TreeMap<>(samplerOptions);
        boolean blocks = sampler.equals("blocks");
        String thresholdSampler = blocks ? innerSampler : sampler;
        if (threshold != null) {
            if (!"threshold".equals(thresholdSampler)) {
                throw new IllegalArgumentException("--threshold is a setting of --sampler threshold (or of blocks with "
                        + "--inner-sampler threshold)");
            }
            settings.put(blocks ? "inner.threshold" : "threshold", threshold.toString());
        }
        if ((blockLength != null || innerSampler != null) && !blocks) {
            throw new IllegalArgumentException("--block-length and --inner-sampler are settings of --sampler blocks");
        }
        if (blockLength != null) {
            settings.put("length", blockLength.toString());
        }
        if (innerSampler != null) {
            settings.put("inner", innerSampler);
        }
        return settings;
    }
}
