package dev.microdiffusion.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code microdiffusion} command line. */
@Command(name = "microdiffusion", mixinStandardHelpOptions = true, version = "microdiffusion 0.1.0",
        description = "Masked (absorbing-state) text diffusion: train denoisers on names and generate new ones.",
        subcommands = {TrainCommand.class, CommandLine.HelpCommand.class})
public final class MicroDiffusionCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new MicroDiffusionCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // a user mistake (bad file, bad option value) gets one clear line; anything else its stack trace
            if (e instanceof IllegalArgumentException || e instanceof java.io.IOException
                    || e instanceof java.io.UncheckedIOException || e instanceof IllegalStateException
                    || e instanceof dev.microdiffusion.core.training.TrainingDivergedException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
