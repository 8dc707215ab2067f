package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.ModelHandle;
import dev.microdiffusion.core.Scoring;
import dev.microdiffusion.core.SharedModels;
import dev.microdiffusion.examples.spark.SparkDiffusion;
import dev.microdiffusion.examples.spark.SparkDiffusion.GenerationSettings;
import dev.microdiffusion.examples.spark.SparkDiffusion.ScoringSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Does Spark cost throughput? Names generated, and texts scored, per second by the Spark jobs on {@code local[2]}
 * against the library alone on two threads, in one JVM, rounds alternated (library, Spark, library, Spark…) so a
 * drifting host treats both alike; medians and the per-round ratio. Spark writes to its {@code noop} sink, so the
 * figure is the job's own work (no Parquet encoding). Also the first-batch cost on an executor: the model's load
 * and the first batch in a cold JVM against a warm batch.
 *
 * <pre>
 * mvn -q -DskipTests package
 * java @examples/target/spark/java.args \
 *     -cp benchmarks/lab/target/lab.jar:$(cat examples/target/spark/classpath.txt) \
 *     dev.microdiffusion.benchmarks.SparkThroughputBenchmark MODEL.safetensors [NAMES [TEXTS [ROUNDS]]]
 * </pre>
 *
 * Defaults: 1,000,000 names, 200,000 texts scored, 3 rounds. Spark's partitions: 8 (four tasks per core, so that a
 * straggler does not idle a core at the end).
 */
public final class SparkThroughputBenchmark {

    private static final int PARTITIONS = 8;

    private SparkThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SparkThroughputBenchmark MODEL.safetensors [NAMES [TEXTS [ROUNDS]]]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        long names = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int texts = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;

        // the cold start an executor pays: load, then the first batch against a later one
        long t0 = System.nanoTime();
        DiffusionModel model = new SharedModels().get(file);
        long loaded = System.nanoTime();
        model.generation().count(64).threads(1).generate();
        long first = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            model.generation().from(64L * i).count(64).threads(1).generate();
        }
        long warmStart = System.nanoTime();
        model.generation().from(100_000).count(64).threads(1).generate();
        long warm = System.nanoTime();
        System.out.printf(Locale.ROOT, "cold start: model load %.1f ms, first batch of 64 %.1f ms, a warm batch %.2f ms%n",
                (loaded - t0) / 1e6, (first - loaded) / 1e6, (warm - warmStart) / 1e6);

        ModelHandle handle = ModelHandle.of(file);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("SparkThroughputBenchmark")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        GenerationSettings settings = GenerationSettings.defaults();
        List<String> column = settings.apply(model).count(texts).threads(2).build().generate();
        Dataset<Row> input = spark.createDataset(column, Encoders.STRING()).toDF("name").repartition(PARTITIONS)
                .cache();
        input.count();
        Scoring scoring = model.scoring().threads(2).build();

        List<Double> libraryGenerate = new ArrayList<>();
        List<Double> sparkGenerate = new ArrayList<>();
        List<Double> libraryScore = new ArrayList<>();
        List<Double> sparkScore = new ArrayList<>();
        // round 0 warms both paths and is not counted
        for (int round = 0; round <= rounds; round++) {
            // every name consumed (a sized stream's count() would make none)
            double lg = time(() -> consume(settings.apply(model).count(names).threads(2).build().stream()));
            double sg = time(() -> SparkDiffusion.generate(spark, handle, settings, names, PARTITIONS).write()
                    .format("noop").mode("overwrite").save());
            double ls = time(() -> scoring.score(column).size());
            double ss = time(() -> SparkDiffusion.score(input, "name", handle, ScoringSettings.defaults()).write()
                    .format("noop").mode("overwrite").save());
            System.out.printf(Locale.ROOT, "round %d%s: generate library %.0f, Spark %.0f names/s; score library %.0f,"
                    + " Spark %.0f texts/s%n", round, round == 0 ? " (warm-up)" : "", names / lg, names / sg,
                    texts / ls, texts / ss);
            if (round > 0) {
                libraryGenerate.add(names / lg);
                sparkGenerate.add(names / sg);
                libraryScore.add(texts / ls);
                sparkScore.add(texts / ss);
            }
        }
        spark.stop();
        System.out.printf(Locale.ROOT, "%nmedians over %d rounds (%s, %s %s, %d processors):%n", rounds,
                System.getProperty("os.arch"), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        report("generate " + names + " names", libraryGenerate, sparkGenerate);
        report("score " + texts + " texts", libraryScore, sparkScore);
    }

    private static void report(String job, List<Double> library, List<Double> spark) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < library.size(); i++) {
            ratios.add(spark.get(i) / library.get(i));
        }
        System.out.printf(Locale.ROOT, "  %-26s library (2 threads) %,9.0f /s   Spark local[2] %,9.0f /s   Spark / library "
                + "%.3f (rounds %s)%n", job, median(library), median(spark), median(ratios),
                ratios.stream().map(r -> String.format(Locale.ROOT, "%.3f", r)).toList());
    }

    private static long consume(Stream<String> names) {
        long[] characters = {0};
        names.forEach(name -> characters[0] += name.length());
        return characters[0];
    }

    private static double median(List<Double> values) {
        return Medians.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
