package dev.microdiffusion.examples.spark;

import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.ModelHandle;
import dev.microdiffusion.core.io.AtomicFiles;
import dev.microdiffusion.core.io.CheckpointException;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.examples.cli.MicroDiffusionCli;
import dev.microdiffusion.examples.cli.PseudonymOptions;
import dev.microdiffusion.examples.spark.SparkDiffusion.GenerationSettings;
import dev.microdiffusion.examples.spark.SparkDiffusion.ScoringSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Spark jobs a data engineer runs: generate names to a table, score a column, pseudonymise a column. Run with
 * {@code spark-submit --class dev.microdiffusion.examples.spark.SparkNames microdiffusion.jar generate …} on a
 * cluster, or with {@code examples/spark/spark-local} on one machine. Everything is checked on the driver before any task
 * runs: the model, the settings, the input's columns and the output path; an error is one line and exit code 2.
 */
@Command(name = "spark-names", mixinStandardHelpOptions = true,
        description = "Generate, score or pseudonymise names with a microdiffusion model on Apache Spark.",
        subcommands = {SparkNames.Generate.class, SparkNames.Score.class, SparkNames.Pseudonymise.class})
public final class SparkNames {

    /** Options every job shares: the model, the output table and the Spark master. */
    static final class Common {
        @Option(names = "--model", required = true, paramLabel = "FILE",
                description = "a model saved with train --save, at a path every executor can read (or see --ship-model)")
        Path model;

        @Option(names = "--ship-model", description = "send the model's bytes with the job instead of its path")
        boolean shipModel;

        @Option(names = "--output", required = true, paramLabel = "PATH", description = "the table to write")
        String output;

        @Option(names = "--format", defaultValue = "parquet", description = "parquet or csv (${DEFAULT-VALUE})")
        String format;

        @Option(names = "--overwrite", description = "replace an output that exists")
        boolean overwrite;

        @Option(names = "--master", description = "the Spark master when not given by spark-submit (e.g. local[2])")
        String master;

        @Option(names = "--show", defaultValue = "0", paramLabel = "N",
                description = "print the first N rows of the table written (${DEFAULT-VALUE})")
        int show;

        ModelHandle handle() throws IOException {
            return shipModel ? ModelHandle.embedding(model) : ModelHandle.of(model);
        }

        /** Refuses a format it cannot write and an output it may not replace, before any work. */
        void checkOutput() {
            if (show < 0) {
                throw new IllegalArgumentException("--show must be ≥ 0, got " + show);
            }
            if (!format.equals("parquet") && !format.equals("csv")) {
                throw new IllegalArgumentException("--format must be parquet or csv, got " + format);
            }
            boolean local = output.startsWith("file:") || !output.contains("://");
            if (!local) {
                // another file system (hdfs://, s3a://…): Spark checks it when it writes
                return;
            }
            Path path = (output.startsWith("file:") ? Path.of(URI.create(output)) : Path.of(output)).toAbsolutePath();
            if (Files.exists(path)) {
                if (!overwrite) {
                    throw new IllegalArgumentException("--output " + output + " exists (give --overwrite to replace it)");
                }
                return;
            }
            try {
                // Spark makes the table's directory itself; what it goes in must take it
                AtomicFiles.checkWritable(path);
            } catch (IOException e) {
                throw new IllegalArgumentException("--output: " + e.getMessage(), e);
            }
        }

        /**
         * Writes the table a job makes on the session (one started here, or the one already running in this JVM,
         * which is left running).
         */
        void run(String job, PrintWriter out, Function<SparkSession, Dataset<Row>> table) {
            run(job, out, table, null);
        }

        /** As {@link #run(String, PrintWriter, Function)}, showing the rows in the order of a column. */
        void run(String job, PrintWriter out, Function<SparkSession, Dataset<Row>> table, String order) {
            boolean owned = SparkSession.getDefaultSession().isEmpty();
            SparkSession.Builder builder = SparkSession.builder().appName("microdiffusion " + job);
            if (master != null) {
                builder.master(master);
            }
            SparkSession spark = builder.getOrCreate();
            try {
                long start = System.nanoTime();
                table.apply(spark).write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                        .option("header", "true").format(format).save(output);
                out.printf(Locale.ROOT, "%s: wrote %s (%s) in %.1f s%n", job, output, format,
                        (System.nanoTime() - start) / 1e9);
                if (show > 0) {
                    Dataset<Row> written = spark.read().option("header", "true").format(format).load(output);
                    if (order != null) {
                        written = written.orderBy(order);
                    }
                    out.println(String.join("\t", written.columns()));
                    for (Row row : written.takeAsList(show)) {
                        StringBuilder line = new StringBuilder();
                        for (int i = 0; i < row.size(); i++) {
                            line.append(i > 0 ? "\t" : "").append(row.isNullAt(i) ? "" : row.get(i));
                        }
                        out.println(line);
                    }
                }
                out.flush();
            } finally {
                if (owned) {
                    spark.stop();
                }
            }
        }
    }

    /** Options of the jobs that read a table. */
    static final class Input {
        @Option(names = "--input", required = true, paramLabel = "PATH", description = "the table to read")
        String input;

        @Option(names = "--input-format", defaultValue = "parquet",
                description = "parquet, csv (with a header) or text (one value per line, column 'value') (${DEFAULT-VALUE})")
        String format;

        @Option(names = "--column", required = true, description = "the column of names")
        String column;

        Dataset<Row> read(SparkSession spark) {
            return switch (format) {
                case "parquet" -> spark.read().parquet(input);
                case "csv" -> spark.read().option("header", "true").csv(input);
                case "text" -> spark.read().text(input);
                default -> throw new IllegalArgumentException("--input-format must be parquet, csv or text, got "
                        + format);
            };
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write names [0, count) as a table of id, name, label.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--count", required = true, description = "how many names")
        long count;

        @Option(names = "--partitions", description = "partitions (default: Spark's default parallelism)")
        Integer partitions;

        @Option(names = "--seed", defaultValue = "" + RandomStreams.DEFAULT_SEED, description = "seed (${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--sampler", description = "the sampler (default: the library's)")
        String sampler;

        @Option(names = "--temperature", description = "sampling temperature (default: the library's, " + Generation.Builder.DEFAULT_TEMPERATURE + ")")
        Double temperature;

        @Option(names = "--label", description = "generate for this label of a conditional model")
        String label;

        @Override
        public Integer call() throws IOException {
            common.checkOutput();
            GenerationSettings d = GenerationSettings.defaults();
            GenerationSettings settings = new GenerationSettings(sampler != null ? sampler : d.sampler(),
                    temperature != null ? temperature : d.temperature(), label, seed, d.batchSize());
            ModelHandle handle = common.handle();
            common.run("generate", spec.commandLine().getOut(), spark -> SparkDiffusion.generate(spark, handle, settings,
                    count, partitions != null ? partitions : spark.sparkContext().defaultParallelism()), "id");
            return 0;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Write the input with each value's bits per character (and likeliest label) added.")
    static final class Score implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Mixin
        Input input;

        @Option(names = "--label", description = "score under this label (default: unconditional)")
        String label;

        @Option(names = "--no-classify", description = "for a labelled model, do not add the likeliest label")
        boolean noClassify;

        @Option(names = "--seed", defaultValue = "" + RandomStreams.DEFAULT_SEED, description = "seed of the masks (${DEFAULT-VALUE})")
        long seed;

        @Override
        public Integer call() throws IOException {
            common.checkOutput();
            ModelHandle handle = common.handle();
            ScoringSettings settings = new ScoringSettings(label, !noClassify, 1, seed);
            common.run("score", spec.commandLine().getOut(),
                    spark -> SparkDiffusion.score(input.read(spark), input.column, handle, settings));
            return 0;
        }
    }

    @Command(name = "pseudonymise", mixinStandardHelpOptions = true,
            description = "Write the input with a column replaced by keyed pseudonyms.")
    static final class Pseudonymise implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Mixin
        Input input;

        @Mixin
        PseudonymOptions pseudonyms;

        @Option(names = "--label-column", description = "generate each pseudonym for its row's label in this column")
        String labelColumn;

        @Override
        public Integer call() throws IOException {
            common.checkOutput();
            byte[] key = pseudonyms.key();
            ModelHandle handle = common.handle();
            common.run("pseudonymise", spec.commandLine().getOut(), spark -> SparkDiffusion.pseudonymise(input.read(spark), input.column,
                    labelColumn, handle, key, pseudonyms.keepLength()));
            return 0;
        }
    }

    public static void main(String[] args) {
        MicroDiffusionCli.useOneLineLogs();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a job and returns its exit code: 0, or 2 with one line on {@code err} for a mistake in the input. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new SparkNames()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof CheckpointException
                    || e instanceof IOException || e instanceof UncheckedIOException
                    || e.getClass().getName().equals("org.apache.spark.sql.AnalysisException")) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                commandLine.getErr().println("error: " + message.lines().findFirst().orElse("").strip());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
