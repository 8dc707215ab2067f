package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.Generation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command's report and charts go, both checked before the work; and the reveal counts the charts need. */
final class ReportOptions {

    @Option(names = {"--json", "--report"}, paramLabel = "FILE",
            description = "write the figures as JSON ('-': standard output, and nothing else there)")
    Path json;

    @Option(names = "--plot", paramLabel = "DIR",
            description = "write PNG charts to DIR (loss and NELBO, schedule, lengths, reveal order, guidance: what the "
                    + "command has)")
    Path plot;

    /** Counts of which position each step revealed, for the reveal-order chart; null without --plot. */
    RevealTracker reveals;

    /** Refuses a report or chart target that cannot be written. */
    void check() {
        if (plot != null) {
            Plots.checkTarget(plot);
        }
        JsonOutput.check(json, "--json");
    }

    /** Whether the JSON goes to standard output, so nothing else may be printed there. */
    boolean jsonToStdout() {
        return JsonOutput.toStdout(json);
    }

    /** Draws a command's charts into a directory, from its report. */
    interface Charts<R> {
        void draw(Path dir, R report) throws IOException;
    }

    /**
     * Writes the report and draws the charts the options ask for; {@code messages} is told where each went.
     *
     * @param stdout   standard output, where {@code --json -} writes
     * @param messages where "written to" lines go (a null writer to say nothing)
     */
    <R> void write(PrintWriter stdout, PrintWriter messages, R report, Charts<R> charts) throws IOException {
        if (json != null) {
            JsonOutput.write(json, report, stdout);
            messages.println("report written to " + json);
        }
        if (plot != null) {
            charts.draw(plot, report);
            messages.println("charts written to " + plot);
        }
    }

    /** The request built, and with --plot watched by {@link #reveals} (rows of {@code rowLength}). */
    Generation observe(Generation.Builder request, int rowLength) {
        Generation generation = request.build();
        if (plot == null) {
            return generation;
        }
        reveals = new RevealTracker(generation.options().steps(), rowLength);
        return request.observer(reveals).build();
    }
}
