package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.ModelHandle;
import dev.microdiffusion.core.SharedModels;
import dev.microdiffusion.core.TextScore;
import dev.microdiffusion.core.io.CheckpointException;
import dev.microdiffusion.examples.spark.SparkDiffusion;
import dev.microdiffusion.examples.spark.SparkDiffusion.GenerationSettings;
import dev.microdiffusion.examples.spark.SparkDiffusion.ScoringSettings;
import dev.microdiffusion.examples.spark.SparkNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Spark jobs on local[2]: the library's results on any partitioning, one model per JVM, errors before tasks. */
class SparkJobsTest {

    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path file;
    static ModelHandle handle;
    static DiffusionModel model;
    static final AtomicInteger jobs = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("SparkJobsTest")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                jobs.incrementAndGet();
            }
        });
        file = dir.resolve("labelled.safetensors");
        TrainedModels.labelled().save(file);
        handle = ModelHandle.of(file);
        model = DiffusionModel.load(file);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void theGeneratedNamesAreTheLibrarysOnAnyPartitioning(int partitions) {
        GenerationSettings settings = new GenerationSettings("confidence", 0.8, "female", 4, 64);
        List<Row> rows = new ArrayList<>(SparkDiffusion.generate(spark, handle, settings, 301, partitions)
                .collectAsList());
        rows.sort(Comparator.comparingLong(r -> r.getLong(0)));
        List<String> expected = model.generation().temperature(0.8).label("female").seed(4).count(301).generate();
        assertEquals(301, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).getLong(0));
            assertEquals(expected.get(i), rows.get(i).getString(1), "name " + i);
            assertEquals("female", rows.get(i).getString(2));
        }
    }

    @Test
    void docsScaleDeduplicationKeepsTheFirstOfEachNameOnAnyPartitioning() {
        // the recipe of docs/SCALE.md: one row per name, the smallest id, then the first N by id
        List<List<String>> results = new ArrayList<>();
        for (int partitions : new int[] {2, 5}) {
            Dataset<Row> names = SparkDiffusion.generate(spark, handle, GenerationSettings.defaults(), 600, partitions);
            Dataset<Row> distinct = names.groupBy("name").agg(functions.min("id").as("id"));
            results.add(distinct.orderBy("id").limit(100).collectAsList().stream().map(r -> r.getString(0)).toList());
        }
        List<String> library = model.generation().temperature(0.8).count(600).generate();
        List<String> firsts = library.stream().distinct().limit(100).toList();
        assertEquals(firsts, results.get(0));
        assertEquals(firsts, results.get(1));
    }

    @Test
    void sixteenPartitionsLoadTheModelOncePerJvm() throws IOException {
        Path copy = dir.resolve("copy.safetensors");
        Files.copy(file, copy);
        long before = SharedModels.jvm().loads();
        ModelHandle fresh = ModelHandle.of(copy);
        assertEquals(before + 1, SharedModels.jvm().loads(), "the driver's check loads it");
        assertEquals(4000, SparkDiffusion.generate(spark, fresh, GenerationSettings.defaults(), 4000, 16).count());
        Dataset<Row> names = column(model.generation().count(500).generate()).repartition(16);
        assertEquals(500, SparkDiffusion.score(names, "name", fresh, ScoringSettings.defaults()).count());
        assertEquals(before + 1, SharedModels.jvm().loads(), "16 tasks of two jobs loaded nothing more");
        ModelHandle shipped = ModelHandle.embedding(copy);
        long shippedBefore = SharedModels.jvm().loads();
        assertEquals(1000, SparkDiffusion.generate(spark, shipped, GenerationSettings.defaults(), 1000, 16).count());
        assertTrue(SharedModels.jvm().loads() - shippedBefore <= 1, "the shipped bytes load at most once");
    }

    @Test
    void theScoreColumnIsTheLibrarysAndWhatCannotBeScoredHasItsOutcome() {
        List<String> values = new ArrayList<>(TrainedModels.NAMES.subList(0, 200));
        values.addAll(Arrays.asList(null, "", "b".repeat(30), "zo☃"));
        List<Row> rows = SparkDiffusion.score(column(values).repartition(3), "name", handle,
                ScoringSettings.defaults()).collectAsList();
        List<TextScore> expected = model.scoring().score(values);
        assertEquals(values.size(), rows.size());
        for (Row row : rows) {
            String value = row.isNullAt(0) ? null : row.getString(0);
            TextScore s = expected.get(values.indexOf(value));
            assertEquals(s.outcome().name().toLowerCase(Locale.ROOT), row.getAs(SparkDiffusion.SCORE_OUTCOME));
            if (s.scored()) {
                assertEquals(s.bitsPerChar(), (double) row.getAs(SparkDiffusion.BITS_PER_CHAR), 0.0, value);
                assertEquals(s.likeliestLabel(), row.getAs(SparkDiffusion.LIKELIEST_LABEL));
            } else {
                assertNull(row.getAs(SparkDiffusion.BITS_PER_CHAR));
            }
        }
    }

    @Test
    void aPseudonymisedColumnIsTheLibrarysOnAnyPartitioning() {
        byte[] key = "sixteen bytes at the least, yes".getBytes(StandardCharsets.UTF_8);
        List<String> values = TrainedModels.NAMES.subList(100, 260);
        List<String> expected = model.pseudonymiser(key).keepLength(true).build().pseudonyms(values);
        for (int partitions : new int[] {1, 5}) {
            Dataset<Row> input = column(values).withColumn("row", org.apache.spark.sql.functions.monotonically_increasing_id());
            List<Row> rows = SparkDiffusion.pseudonymise(input.repartition(partitions), "name", null, handle, key, true)
                    .collectAsList();
            List<String> fakes = rows.stream().map(r -> r.getString(0)).toList();
            assertEquals(values.size(), fakes.size());
            assertTrue(expected.containsAll(fakes) && fakes.containsAll(expected), partitions + " partitions");
        }
    }

    @Test
    void aMissingOrBadModelOrColumnFailsBeforeAnyTaskRuns() throws IOException {
        int before = jobs.get();
        CheckpointException missing = assertThrows(CheckpointException.class,
                () -> ModelHandle.of(dir.resolve("missing.safetensors")));
        assertTrue(missing.getMessage().contains("missing.safetensors"), missing.getMessage());
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        CheckpointException broken = assertThrows(CheckpointException.class, () -> ModelHandle.of(bad));
        assertTrue(broken.getMessage().contains("bad.safetensors"), broken.getMessage());
        IllegalArgumentException column = assertThrows(IllegalArgumentException.class,
                () -> SparkDiffusion.score(column(List.of("emma")), "nme", handle, ScoringSettings.defaults()));
        assertTrue(column.getMessage().contains("'nme'"), column.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparkDiffusion.generate(spark, handle,
                new GenerationSettings("confidence", 0.8, "nobody", 1, 64), 10, 2));
        assertEquals(before, jobs.get(), "no Spark job was started");
    }

    @Test
    void theProgramWritesTablesAndRefusesBadInputInOneLine() throws IOException {
        Path names = dir.resolve("names.parquet");
        Run generate = program("generate", "--model", file.toString(), "--count", "120", "--partitions", "3",
                "--output", names.toString());
        assertEquals(0, generate.code(), generate.err());
        List<Row> table = spark.read().parquet(names.toString()).orderBy("id").collectAsList();
        assertEquals(model.generation().temperature(0.8).count(120).generate(),
                table.stream().map(r -> r.getString(1)).toList());
        Path scored = dir.resolve("scored.csv");
        Run score = program("score", "--model", file.toString(), "--input", names.toString(), "--column", "name",
                "--output", scored.toString(), "--format", "csv");
        assertEquals(0, score.code(), score.err());
        List<String> header = Files.list(scored).filter(p -> p.toString().endsWith(".csv")).findFirst()
                .map(p -> {
                    try {
                        return Files.readAllLines(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).orElseThrow();
        assertEquals("id,name,label,bits_per_char,nats_per_text,score_outcome,likeliest_label,likeliest_label_share",
                header.get(0));
        int before = jobs.get();
        Run exists = program("generate", "--model", file.toString(), "--count", "5", "--output", names.toString());
        assertEquals(2, exists.code());
        assertTrue(exists.err().startsWith("error: --output") && exists.err().contains("exists"), exists.err());
        Run noModel = program("score", "--model", dir.resolve("none").toString(), "--input", names.toString(),
                "--column", "name", "--output", dir.resolve("x").toString());
        assertEquals(2, noModel.code());
        assertTrue(noModel.err().contains("none") && noModel.err().lines().count() == 1, noModel.err());
        assertEquals(before, jobs.get(), "the refused runs started no job");
        Run noColumn = program("score", "--model", file.toString(), "--input", names.toString(), "--column", "nom",
                "--output", dir.resolve("y").toString());
        assertEquals(2, noColumn.code());
        assertTrue(noColumn.err().contains("'nom'"), noColumn.err());
        assertTrue(jobs.get() <= before + 1, "at most Spark's own read of the table's schema");
        assertTrue(!Files.exists(dir.resolve("y")), "nothing written");
    }

    private record Run(int code, String out, String err) {
    }

    /** The program, on the test's session (which it finds running, and leaves running). */
    private static Run program(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--master", "local[2]"));
        int code = SparkNames.run(new PrintWriter(out, true),
                new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private static Dataset<Row> column(List<String> values) {
        StructType schema = new StructType().add("name", DataTypes.StringType, true);
        List<Row> rows = values.stream().map(v -> RowFactory.create(v)).toList();
        return spark.createDataFrame(rows, schema).as(Encoders.row(schema));
    }
}
