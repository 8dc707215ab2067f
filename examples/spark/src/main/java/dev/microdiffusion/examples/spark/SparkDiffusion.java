package dev.microdiffusion.examples.spark;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.ModelHandle;
import dev.microdiffusion.core.Pseudonymiser;
import dev.microdiffusion.core.Scoring;
import dev.microdiffusion.core.TextScore;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.spi.RandomStreams;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The library's bulk calls as Spark Dataset transformations. The {@link ModelHandle} goes to each executor once, as
 * a broadcast variable (a handle that carries the model's bytes is not sent again with every task), and each task
 * gets the model from it (loaded once per executor JVM, however many tasks and partitions run there) and hands the library its rows in
 * batches, never one call per row. Everything that can be wrong with the model or the settings is found on the
 * driver, when the transformation is built, before any task runs.
 *
 * <p>The results do not depend on the partitioning: name i of a generation is the library's name i; a value's
 * score and pseudonym depend on the value alone.
 */
public final class SparkDiffusion {

    /** Rows handed to the library per call in a task. */
    public static final int ROWS_PER_BATCH = 1024;
    /** The columns a score adds. */
    public static final String BITS_PER_CHAR = "bits_per_char";
    public static final String NATS_PER_TEXT = "nats_per_text";
    public static final String SCORE_OUTCOME = "score_outcome";
    public static final String LIKELIEST_LABEL = "likeliest_label";
    public static final String LIKELIEST_LABEL_SHARE = "likeliest_label_share";

    private SparkDiffusion() {
    }

    /** What shapes generated names: the library's settings of the same names, as a value that travels to tasks. */
    public record GenerationSettings(String sampler, double temperature, String label, long seed, int batchSize)
            implements Serializable {

        /** The library's defaults. */
        public static GenerationSettings defaults() {
            return new GenerationSettings(Generation.Builder.DEFAULT_SAMPLER, Generation.Builder.DEFAULT_TEMPERATURE,
                    null, RandomStreams.DEFAULT_SEED, Generation.Builder.DEFAULT_BATCH_SIZE);
        }

        /** The library's request with these settings, on one thread (a task's). */
        public Generation.Builder apply(DiffusionModel model) {
            Generation.Builder builder = model.generation().sampler(sampler).temperature(temperature).seed(seed)
                    .batchSize(batchSize).threads(1);
            return label == null ? builder : builder.label(label);
        }
    }

    /** How texts are scored (the library's {@link Scoring} settings). */
    public record ScoringSettings(String label, boolean classify, int maskDraws, long seed) implements Serializable {

        public static ScoringSettings defaults() {
            return new ScoringSettings(null, true, Nelbo.DEFAULT_MASK_DRAWS, RandomStreams.DEFAULT_SEED);
        }

        /** The library's scoring with these settings, on one thread (a task's). */
        public Scoring build(DiffusionModel model) {
            Scoring.Builder builder = model.scoring().maskDraws(maskDraws).seed(seed).threads(1);
            if (label != null) {
                builder.label(label);
            }
            if (!model.labels().isEmpty()) {
                builder.classify(classify);
            }
            return builder.build();
        }
    }

    /** The columns of {@link #generate}: the name's index, the name, and the label it was made for (or null). */
    public static final StructType GENERATED = new StructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("name", DataTypes.StringType, false),
        DataTypes.createStructField("label", DataTypes.StringType, true)});

    /**
     * Names {@code [0, count)} in {@code partitions} partitions of consecutive ids: the same rows as the library's
     * {@code generation()} with these settings, whatever the partition count.
     *
     * @throws IllegalArgumentException if a setting is wrong (checked on the driver)
     */
    public static Dataset<Row> generate(SparkSession spark, ModelHandle handle, GenerationSettings settings,
            long count, int partitions) {
        if (count < 0 || partitions < 1) {
            throw new IllegalArgumentException("count must be ≥ 0 and partitions ≥ 1, got " + count + ", "
                    + partitions);
        }
        settings.apply(handle.model()).count(count).build();
        Broadcast<ModelHandle> shipped = ship(spark, handle);
        return spark.range(0, partitions, 1, partitions).mapPartitions((MapPartitionsFunction<Long, Row>) parts -> {
            if (!parts.hasNext()) {
                return Collections.emptyIterator();
            }
            long p = parts.next();
            long from = p * (count / partitions) + Math.min(p, count % partitions);
            long size = count / partitions + (p < count % partitions ? 1 : 0);
            Iterator<String> names = settings.apply(shipped.value().model()).from(from).count(size).build().stream()
                    .iterator();
            return new Iterator<Row>() {
                private long id = from;

                @Override
                public boolean hasNext() {
                    return names.hasNext();
                }

                @Override
                public Row next() {
                    return RowFactory.create(id++, names.next(), settings.label());
                }
            };
        }, Encoders.row(GENERATED));
    }

    /**
     * The input with each row's score of {@code column} added ({@value #BITS_PER_CHAR}, {@value #NATS_PER_TEXT},
     * {@value #SCORE_OUTCOME}; for a labelled model that classifies, {@value #LIKELIEST_LABEL} and
     * {@value #LIKELIEST_LABEL_SHARE}). A value the model cannot score gets its outcome ({@code missing},
     * {@code empty}, {@code too_long}, {@code unencodable}) and null figures; the job goes on.
     *
     * @throws IllegalArgumentException if the column is not a string column of the input, or a setting is wrong
     */
    public static Dataset<Row> score(Dataset<Row> input, String column, ModelHandle handle,
            ScoringSettings settings) {
        int at = stringColumn(input.schema(), column);
        boolean classify = settings.build(handle.model()).classifies();
        StructType schema = input.schema()
                .add(BITS_PER_CHAR, DataTypes.DoubleType, true)
                .add(NATS_PER_TEXT, DataTypes.DoubleType, true)
                .add(SCORE_OUTCOME, DataTypes.StringType, false);
        if (classify) {
            schema = schema.add(LIKELIEST_LABEL, DataTypes.StringType, true)
                    .add(LIKELIEST_LABEL_SHARE, DataTypes.DoubleType, true);
        }
        int added = classify ? 5 : 3;
        Broadcast<ModelHandle> shipped = ship(input.sparkSession(), handle);
        return input.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> {
            Scoring scoring = settings.build(shipped.value().model());
            return batched(rows, batch -> {
                List<TextScore> scores = scoring.score(values(batch, at));
                List<Row> out = new ArrayList<>(batch.size());
                for (int k = 0; k < batch.size(); k++) {
                    TextScore s = scores.get(k);
                    Object[] cells = Arrays.copyOf(cells(batch.get(k)), batch.get(k).size() + added);
                    int c = batch.get(k).size();
                    cells[c++] = s.scored() ? s.bitsPerChar() : null;
                    cells[c++] = s.scored() ? s.natsPerText() : null;
                    cells[c++] = s.outcome().name().toLowerCase(Locale.ROOT);
                    if (classify) {
                        cells[c++] = s.likeliestLabel();
                        cells[c] = s.scored() ? s.likeliestLabelShare() : null;
                    }
                    out.add(RowFactory.create(cells));
                }
                return out;
            });
        }, Encoders.row(schema));
    }

    /**
     * The input with {@code column} replaced by each value's pseudonym under {@code key} (see {@link Pseudonymiser}:
     * null stays null, a label the model lacks gives null). With a {@code labelColumn}, each value is generated for
     * its row's label.
     *
     * @throws IllegalArgumentException if a column is not a string column of the input, or a setting is wrong
     */
    public static Dataset<Row> pseudonymise(Dataset<Row> input, String column, String labelColumn, ModelHandle handle,
            byte[] key, boolean keepLength) {
        int at = stringColumn(input.schema(), column);
        int labelAt = labelColumn == null ? -1 : stringColumn(input.schema(), labelColumn);
        byte[] secret = key.clone();
        handle.model().pseudonymiser(secret).keepLength(keepLength).build();
        Broadcast<ModelHandle> shipped = ship(input.sparkSession(), handle);
        return input.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> {
            Pseudonymiser pseudonymiser = shipped.value().model().pseudonymiser(secret).keepLength(keepLength).threads(1)
                    .build();
            return batched(rows, batch -> {
                List<String> fakes = pseudonymiser.pseudonyms(values(batch, at), labelAt < 0 ? null
                        : values(batch, labelAt));
                List<Row> out = new ArrayList<>(batch.size());
                for (int k = 0; k < batch.size(); k++) {
                    Object[] cells = cells(batch.get(k));
                    cells[at] = fakes.get(k);
                    out.add(RowFactory.create(cells));
                }
                return out;
            });
        }, Encoders.row(input.schema()));
    }

    private static Broadcast<ModelHandle> ship(SparkSession spark, ModelHandle handle) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(handle);
    }

    private static int stringColumn(StructType schema, String column) {
        List<String> names = Arrays.asList(schema.fieldNames());
        int at = names.indexOf(column);
        if (at < 0) {
            throw new IllegalArgumentException("no column '" + column + "'; the input has " + String.join(", ", names));
        }
        if (!(schema.fields()[at].dataType() instanceof StringType)) {
            throw new IllegalArgumentException("column '" + column + "' holds " + schema.fields()[at].dataType()
                    .simpleString() + ", not strings");
        }
        return at;
    }

    private static List<String> values(List<Row> batch, int at) {
        List<String> values = new ArrayList<>(batch.size());
        for (Row row : batch) {
            values.add(row.isNullAt(at) ? null : row.getString(at));
        }
        return values;
    }

    private static Object[] cells(Row row) {
        Object[] cells = new Object[row.size()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = row.get(i);
        }
        return cells;
    }

    /** Pulls {@link #ROWS_PER_BATCH} rows at a time, so a partition of any size is processed in bounded memory. */
    private static Iterator<Row> batched(Iterator<Row> rows, Function<List<Row>, List<Row>> work) {
        return new Iterator<>() {
            private Iterator<Row> done = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!done.hasNext() && rows.hasNext()) {
                    List<Row> batch = new ArrayList<>(ROWS_PER_BATCH);
                    while (batch.size() < ROWS_PER_BATCH && rows.hasNext()) {
                        batch.add(rows.next());
                    }
                    done = work.apply(batch).iterator();
                }
                return done.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return done.next();
            }
        };
    }
}
