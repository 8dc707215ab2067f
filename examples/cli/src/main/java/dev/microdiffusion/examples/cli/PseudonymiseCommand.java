package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Pseudonymiser;
import dev.microdiffusion.core.corpus.LabelledCorpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Replaces every value of a file by its keyed pseudonym: the same value and key, the same made-up name. */
@Command(name = "pseudonymise", mixinStandardHelpOptions = true,
        description = "Print value<TAB>pseudonym for each line of a file; a second, tab-separated column is the "
                + "value's label.")
public final class PseudonymiseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "one value per line (UTF-8)")
    Path data;

    @Mixin
    PseudonymOptions pseudonyms;

    @Option(names = "--threads", description = "threads (default: the available processors); the output does not depend on it")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        byte[] key = pseudonyms.key();
        DiffusionModel loaded = model.load();
        Pseudonymiser.Builder request = loaded.pseudonymiser(key).keepLength(pseudonyms.keepLength());
        if (threads != null) {
            request.threads(threads);
        }
        Pseudonymiser pseudonymiser = request.build();
        PrintWriter out = spec.commandLine().getOut();
        try (TextLines lines = TextLines.open(data, "--data")) {
            for (List<String> batch = lines.next(); !batch.isEmpty(); batch = lines.next()) {
                List<String> values = new ArrayList<>(batch.size());
                List<String> labels = new ArrayList<>(batch.size());
                for (String line : batch) {
                    int tab = line.indexOf(LabelledCorpus.SEPARATOR);
                    values.add(tab < 0 ? line : line.substring(0, tab));
                    labels.add(tab < 0 ? null : line.substring(tab + 1).strip());
                }
                List<String> fakes = pseudonymiser.pseudonyms(values, labels);
                for (int k = 0; k < values.size(); k++) {
                    out.println(TextLines.field(values.get(k)) + "\t" + TextLines.field(fakes.get(k)));
                }
                out.flush();
            }
        }
        return 0;
    }
}
