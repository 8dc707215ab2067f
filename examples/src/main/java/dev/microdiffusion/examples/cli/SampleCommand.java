package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.Canvas;
import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.RandomStreams;
import dev.microdiffusion.core.Parallel;
import dev.microdiffusion.core.SamplerProvider;
import dev.microdiffusion.core.SamplingOptions;
import dev.microdiffusion.core.StepObserver;
import dev.microdiffusion.core.Template;
import dev.microdiffusion.core.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
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

    @Option(names = "--samples", defaultValue = "20", description = "names to generate (${DEFAULT-VALUE})")
    int samples;

    @Mixin
    SamplingCli sampling;

    @Mixin
    TemplateCli constraints;

    @Option(names = "--seed", defaultValue = "1", description = "sampling seed (${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--batch-size", defaultValue = "64", description = "rows per model call (${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--threads", description = "threads (default: the available processors); the names do not depend on it")
    Integer threads;

    @Option(names = "--show-steps", description = "print the reverse process of the first " + SHOWN_ROWS + " names")
    boolean showSteps;

    @Override
    public Integer call() throws IOException {
        if (samples < 1 || batchSize < 1) {
            throw new IllegalArgumentException("--samples and --batch-size must be ≥ 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        DiffusionModel loaded = model.load().model();
        Tokenizer tokenizer = loaded.tokenizer();
        SamplerProvider samplers = sampling.provider();
        SamplingOptions options = sampling.options(loaded.diffusionSteps());
        Template template = constraints.template(tokenizer);
        int workers = threads != null ? threads : Parallel.defaultThreads();
        if (workers < 1) {
            throw new IllegalArgumentException("--threads must be ≥ 1, got " + workers);
        }
        StepObserver observer = StepObserver.NONE;
        if (showSteps) {
            out.printf("reverse process (_ = MASK, . = PAD), sampler %s, %d steps:%n", samplers.name(), options.steps());
            observer = new StepObserver() {
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
            };
        }
        // --show-steps follows the first batch, so it runs the batches one after another
        List<String> names = loaded.generate(samples, batchSize, showSteps ? 1 : workers, samplers::create, options,
                template, new RandomStreams(seed).stream("sample"), observer);
        names.forEach(out::println);
        out.flush();
        return 0;
    }
}
