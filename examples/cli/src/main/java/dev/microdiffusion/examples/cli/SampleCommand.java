package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.Samples;
import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Generates names from a saved model. */
@Command(name = "sample", mixinStandardHelpOptions = true, description = "Generate names from a saved model.")
public final class SampleCommand implements Callable<Integer> {

    /** Rows whose reverse process --show-steps prints. */
    static final int SHOWN_ROWS = 4;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--samples", defaultValue = "" + Generation.Builder.DEFAULT_COUNT, description = "names to generate (${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--from", defaultValue = "0", description = "index of the first name (${DEFAULT-VALUE}): name i "
            + "is the same whatever --samples, --batch-size or --threads")
    long from;

    @Mixin
    SamplingCli sampling;

    @Mixin
    TemplateCli constraints;

    @Option(names = "--seed", defaultValue = "" + RandomStreams.DEFAULT_SEED, description = "sampling seed (${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--batch-size", defaultValue = "" + Generation.Builder.DEFAULT_BATCH_SIZE, description = "rows per model call (${DEFAULT-VALUE}); the names do not depend on it")
    int batchSize;

    @Option(names = "--threads", description = "threads (default: the available processors); the names do not depend on it")
    Integer threads;

    @Option(names = "--show-steps", description = "print the reverse process of the first " + SHOWN_ROWS + " names")
    boolean showSteps;

    @Option(names = "--json", paramLabel = "FILE", description = "write the names and settings as JSON ('-': standard output)")
    Path json;

    /**
     * The names of a sample run and what made them (JSON, snake_case), with the model calls made and the denoiser
     * rows computed per name (NFE).
     */
    record SampleReport(String model, String sampler, Map<String, String> samplerOptions, SamplingOptions sampling,
            String template, long seed, long from, int batchSize, List<String> names, long modelCalls,
            double nfePerName) {
    }

    @Override
    public Integer call() throws IOException {
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be ≥ 1, got " + samples);
        }
        if (from < 0) {
            throw new IllegalArgumentException("--from must be ≥ 0, got " + from);
        }
        JsonOutput.check(json, "--json");
        PrintWriter out = spec.commandLine().getOut();
        DiffusionModel loaded = model.load();
        Tokenizer tokenizer = loaded.tokenizer();
        Generation.Builder request = constraints.apply(sampling.apply(loaded.generation())).count(samples)
                .from(from).batchSize(batchSize).seed(seed);
        if (threads != null) {
            request.threads(threads);
        }
        // --show-steps follows the first batch, so it runs the batches one after another
        if (showSteps) {
            request.threads(1);
        }
        Generation generation = request.build();
        boolean jsonOnly = JsonOutput.toStdout(json);
        if (showSteps && !jsonOnly) {
            out.printf("reverse process (_ = MASK, . = PAD), sampler %s, %d steps:%n", generation.sampler(),
                    generation.options().steps());
            generation = request.observer(new StepObserver() {
                private boolean firstBatch = true;

                @Override
                public void afterStep(int step, int steps, Canvas canvas) {
                    if (!firstBatch) {
                        return;
                    }
                    StringBuilder line = new StringBuilder(String.format("  k %3d ", step));
                    for (int r = 0; r < Math.min(SHOWN_ROWS, canvas.rows()); r++) {
                        line.append(' ').append(CanvasView.row(tokenizer, canvas.tokens(), r * canvas.length(), canvas.length()));
                    }
                    out.println(line);
                    if (canvas.maskedCount() == 0) {
                        firstBatch = false;
                        out.println();
                    }
                }
            }).build();
        }
        Samples made = generation.sample();
        List<String> names = made.texts();
        if (!jsonOnly) {
            names.forEach(out::println);
        }
        out.flush();
        if (json != null) {
            JsonOutput.write(json, new SampleReport(model.model.toString(), generation.sampler(),
                    generation.samplerSettings(), generation.options(), generation.template().toString(), seed,
                    from, batchSize, names, made.modelCalls(), made.modelEvaluationsPerText()), out);
        }
        return 0;
    }
}
