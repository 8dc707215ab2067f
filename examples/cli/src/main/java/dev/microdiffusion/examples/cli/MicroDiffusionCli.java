package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.io.CheckpointException;
import dev.microdiffusion.core.training.TrainingDivergedException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code microdiffusion} command line. */
@Command(name = "microdiffusion", mixinStandardHelpOptions = true, versionProvider = MicroDiffusionCli.Version.class,
        description = "Masked (absorbing-state) text diffusion: train denoisers on names and generate new ones.",
        subcommands = {TrainCommand.class, SampleCommand.class, EditCommand.class, EvalCommand.class, PredictCommand.class,
            ScoreCommand.class, PseudonymiseCommand.class, CommandLine.HelpCommand.class})
public final class MicroDiffusionCli {

    @Spec
    CommandSpec spec;

    /**
     * Puts the jars of a directory beside the CLI's own, so that their providers (a denoiser, a sampler…) are found
     * by name. Set while parsing, before any command runs.
     */
    @Option(names = "--plugins", paramLabel = "DIR", scope = CommandLine.ScopeType.LOCAL,
            description = "load providers (denoisers, schedules, samplers, tokenizers) from the jars in DIR")
    void plugins(Path dir) {
        Thread.currentThread().setContextClassLoader(Plugins.loader(dir, spec.commandLine()));
    }

    /** The longest error line printed. */
    static final int MAX_MESSAGE = 400;

    /**
     * A message as one printable line of bounded length: control and format characters (a newline, an escape
     * sequence from a file) are shown by their code (a backslash, u, four hex digits), never sent to the terminal.
     */
    static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        StringBuilder out = new StringBuilder();
        message.codePoints().limit(MAX_MESSAGE).forEach(cp -> {
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return message.codePointCount(0, message.length()) > MAX_MESSAGE ? out + "…" : out.toString();
    }

    /** The build's own version, as Maven wrote it into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = MicroDiffusionCli.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IOException("version.properties is missing from the build");
                }
                properties.load(in);
            }
            return new String[] {"microdiffusion " + properties.getProperty("version")};
        }
    }

    public static void main(String[] args) {
        useOneLineLogs();
        System.exit(run(args));
    }

    /**
     * Log records (e.g. which matrix kernel is in use) as one short line on stderr, unless the user chose a format;
     * set before the first record is logged.
     */
    public static void useOneLineLogs() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "[%4$s] %5$s%6$s%n");
        }
    }

    /**
     * Runs a command line on the standard streams and returns its exit code. Standard output fails fast: a write the
     * system refuses (a full disk, a closed pipe) stops the command with one line naming the cause and exit 2, where
     * {@code System.out} would swallow the error and let the work run on with its output lost.
     */
    public static int run(String... args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(failFast(new FileOutputStream(FileDescriptor.out),
                "standard output"), stdoutCharset()), true);
        return run(out, new PrintWriter(System.err, true), args);
    }

    /** The charset System.out writes in, so that output bytes do not change. */
    private static Charset stdoutCharset() {
        String name = System.getProperty("sun.stdout.encoding");
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    /** {@code target} whose write and flush errors escape as {@link UncheckedIOException}, naming the target. */
    static OutputStream failFast(OutputStream target, String name) {
        return new FilterOutputStream(target) {
            @Override
            public void write(int b) {
                try {
                    out.write(b);
                } catch (IOException e) {
                    throw failed(e);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw failed(e);
                }
            }

            @Override
            public void flush() {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw failed(e);
                }
            }

            private UncheckedIOException failed(IOException e) {
                return new UncheckedIOException("cannot write to " + name + " (" + e.getMessage() + "): the output "
                        + "is incomplete, so the work stops", e);
            }
        };
    }

    /** Runs a command line writing to the given streams (for tests and embedding) and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try {
            return execute(out, err, args);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    private static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new MicroDiffusionCli()).setOut(out).setErr(err);
        // a mistyped option gets its one line and where to look, not the whole usage
        cli.setParameterExceptionHandler((e, given) -> {
            String message = e.getMessage().startsWith("Error: ") ? e.getMessage().substring(7) : e.getMessage();
            e.getCommandLine().getErr().println("error: " + oneLine(message));
            e.getCommandLine().getErr().println("(see '" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // a user mistake (bad file, bad option value) gets one clear line; anything else its stack trace
            if (e instanceof IllegalArgumentException || e instanceof IOException
                    || e instanceof UncheckedIOException || e instanceof IllegalStateException
                    || e instanceof TrainingDivergedException
                    || e instanceof CheckpointException) {
                commandLine.getErr().println("error: " + oneLine(e.getMessage()));
                return 2;
            }
            throw e;
        });
        try {
            int code = cli.execute(args);
            out.flush();
            return code;
        } catch (UncheckedIOException e) {
            // an output that fails outside a command's own work (its help, say, or the last flush)
            err.println("error: " + oneLine(e.getMessage()));
            return 2;
        }
    }
}
