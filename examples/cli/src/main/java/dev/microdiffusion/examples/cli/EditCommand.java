package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.spi.RandomStreams;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Variations of an existing name: some of its characters masked again and regenerated, the others kept. */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Regenerate part of a name: --text jessica --strength 0.4, or --keep je_s_ca.")
public final class EditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    /** What to regenerate: a share of a text chosen at random, or the marked positions of a pattern. */
    static final class What {
        @Option(names = "--text", required = true, description = "the name to vary")
        String text;

        @Option(names = "--keep", required = true, paramLabel = "PATTERN",
                description = "the name with '_' (or a set such as [aeiou]) where to regenerate, e.g. je_s_ca")
        String keep;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    @Option(names = "--strength", defaultValue = "0.4",
            description = "with --text: the share of its characters masked again in each variation (${DEFAULT-VALUE})")
    double strength;

    @Option(names = "--samples", defaultValue = "10", description = "variations (${DEFAULT-VALUE})")
    int samples;

    @Mixin
    SamplingCli sampling;

    @Option(names = "--seed", defaultValue = "" + RandomStreams.DEFAULT_SEED, description = "seed of the masks and the draws (${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "threads (default: the available processors); the names do not depend on it")
    Integer threads;

    @Option(names = "--json", paramLabel = "FILE", description = "write the variations and settings as JSON ('-': standard output)")
    Path json;

    /** An edit and what it made (JSON, snake_case). */
    record EditReport(String model, String text, String keep, Double strength, int remasked, String sampler,
            Map<String, String> samplerOptions, SamplingOptions sampling, long seed, List<String> names) {
    }

    @Override
    public Integer call() throws IOException {
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be ≥ 1, got " + samples);
        }
        if (what.keep != null && spec.commandLine().getParseResult().hasMatchedOption("--strength")) {
            throw new IllegalArgumentException("--strength goes with --text; --keep says itself what to regenerate");
        }
        JsonOutput.check(json, "--json");
        PrintWriter out = spec.commandLine().getOut();
        DiffusionModel loaded = model.load();
        Generation.Builder request = sampling.apply(loaded.generation()).count(samples).seed(seed);
        if (what.text != null) {
            request.edit(what.text, strength);
        } else {
            request.editKeeping(what.keep);
        }
        if (threads != null) {
            request.threads(threads);
        }
        Generation edit = request.build();
        List<String> names = edit.generate();
        String original = loaded.tokenizer().normalize(what.text != null ? what.text : what.keep);
        if (!JsonOutput.toStdout(json)) {
            names.forEach(out::println);
            long distinct = names.stream().distinct().count();
            String differ = what.text == null ? "" : names.stream().filter(n -> !n.equals(original)).count() + " of "
                    + names.size() + " differ from " + original + ", ";
            out.printf("(%s%d distinct; reverse process from t = %.3f, %d of %d steps)%n", differ, distinct,
                    edit.options().startTime(), edit.options().firstStep(), edit.options().steps());
        }
        out.flush();
        if (json != null) {
            JsonOutput.write(json, new EditReport(model.model.toString(), what.text, what.keep,
                    what.text != null ? strength : null, edit.remasked(), edit.sampler(), edit.samplerSettings(),
                    edit.options(), seed, names), out);
        }
        return 0;
    }
}
