package dev.microdiffusion.examples.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code microdiffusion} command line. */
@Command(name = "microdiffusion", mixinStandardHelpOptions = true, version = "microdiffusion 0.1.0",
        description = "Masked (absorbing-state) text diffusion: train denoisers on names and generate new ones.",
        subcommands = {TrainCommand.class, SampleCommand.class, EvalCommand.class, PredictCommand.class, CommandLine.HelpCommand.class})
public final class MicroDiffusionCli {

    public static void main(String[] args) {
        // log records (e.g. which matrix kernel is in use) as one short line on stderr, unless the user chose a format
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "[%4$s] %5$s%6$s%n");
        }
        System.exit(run(args));
    }

    /** Runs a command line on the standard streams and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command line writing to the given streams (for tests and embedding) and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new MicroDiffusionCli()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // a user mistake (bad file, bad option value) gets one clear line; anything else its stack trace
            if (e instanceof IllegalArgumentException || e instanceof java.io.IOException
                    || e instanceof java.io.UncheckedIOException || e instanceof IllegalStateException
                    || e instanceof dev.microdiffusion.core.training.TrainingDivergedException
                    || e instanceof dev.microdiffusion.core.CheckpointException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
