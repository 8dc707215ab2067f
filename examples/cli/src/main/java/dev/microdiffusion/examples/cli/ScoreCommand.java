package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Scoring;
import dev.microdiffusion.core.TextScore;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.spi.RandomStreams;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores every line of a file: its NELBO in bits per character and, for a labelled model, its likeliest label. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score each line of a file under a model (NELBO, bits per character; TSV with a header).")
public final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "one text per line (UTF-8)")
    Path data;

    @Option(names = "--label", description = "score under this label of a conditional model (default: unconditional)")
    String label;

    @Option(names = "--no-classify", description = "for a labelled model, do not find each text's likeliest label")
    boolean noClassify;

    @Option(names = "--mask-draws", defaultValue = "" + Nelbo.DEFAULT_MASK_DRAWS, description = "mask draws per text and node (${DEFAULT-VALUE})")
    int maskDraws;

    @Option(names = "--seed", defaultValue = "" + RandomStreams.DEFAULT_SEED, description = "seed of the masks (${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "threads (default: the available processors); the scores do not depend on it")
    Integer threads;

    @Option(names = "--json", paramLabel = "FILE", description = "write the scores as JSON ('-': standard output)")
    Path json;

    @Override
    public Integer call() throws IOException {
        JsonOutput.check(json, "--json");
        DiffusionModel loaded = model.load();
        Scoring.Builder request = loaded.scoring().maskDraws(maskDraws).seed(seed);
        if (label != null) {
            request.label(label);
        }
        if (noClassify && !loaded.labels().isEmpty()) {
            request.classify(false);
        }
        if (threads != null) {
            request.threads(threads);
        }
        Scoring scoring = request.build();
        PrintWriter out = spec.commandLine().getOut();
        boolean tsv = !JsonOutput.toStdout(json);
        List<TextScore> all = json != null ? new ArrayList<>() : null;
        try (TextLines lines = TextLines.open(data, "--data")) {
            if (tsv) {
                out.println("text\toutcome\tbits_per_char\tnats_per_text" + (scoring.classifies()
                        ? "\tlikeliest_label\tlikeliest_label_share" : "") + "\tproblem");
            }
            for (List<String> batch = lines.next(); !batch.isEmpty(); batch = lines.next()) {
                List<TextScore> scores = scoring.score(batch);
                if (tsv) {
                    scores.forEach(s -> out.println(row(s, scoring.classifies())));
                    out.flush();
                }
                if (all != null) {
                    all.addAll(scores);
                }
            }
        }
        if (json != null) {
            JsonOutput.write(json, all, out);
        }
        return 0;
    }

    private static String row(TextScore s, boolean classifies) {
        StringBuilder row = new StringBuilder(TextLines.field(s.text())).append('\t')
                .append(s.outcome().name().toLowerCase(Locale.ROOT));
        row.append('\t').append(s.scored() ? String.format(Locale.ROOT, "%.4f", s.bitsPerChar()) : "");
        row.append('\t').append(s.scored() ? String.format(Locale.ROOT, "%.4f", s.natsPerText()) : "");
        if (classifies) {
            row.append('\t').append(s.scored() ? s.likeliestLabel() : "");
            row.append('\t').append(s.scored() ? String.format(Locale.ROOT, "%.4f", s.likeliestLabelShare()) : "");
        }
        return row.append('\t').append(TextLines.field(s.problem())).toString();
    }
}
