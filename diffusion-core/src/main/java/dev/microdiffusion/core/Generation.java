package dev.microdiffusion.core;

import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.internal.Parallel;
import dev.microdiffusion.core.internal.generation.GenerationEngine;
import dev.microdiffusion.core.sampling.ConfidenceMeasure;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;
import dev.microdiffusion.core.sampling.Template;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.SamplerProvider;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A validated request for texts from a model: how many, which sampler with which settings, the shared
 * {@link SamplingOptions}, the {@link Template} the texts must fit, and how the work is split. Made by
 * {@link DiffusionModel#generation()}:
 *
 * <pre>{@code
 * List<String> names = model.generation().count(8).sampler("ancestral").temperature(0.8)
 *         .template("em__a").generate();
 * }</pre>
 *
 * Every setting is checked by {@link Builder#build()} (and so by {@link Builder#generate()}), before any sampling.
 *
 * <p><b>Text i is a function of the model, the settings, the seed and i alone</b>: each text draws from its own
 * random stream, keyed by the seed and its index, so texts {@code [from, from + count)} are the same however many are
 * asked for, in whatever batch size, on however many threads, and however a job splits the range between machines
 * ({@code from(1000).count(10)} gives texts 1000 to 1009 of {@code count(2000)}). {@link #generate()} returns a
 * list; {@link #stream()} makes any number of texts in bounded memory.
 *
 * <p>A model trained on a running text ({@link dev.microdiffusion.core.corpus.DataSplit#tail()}) never saw PAD, its
 * windows being full: with no template, or a prefix alone, its texts fill the whole row.
 */
public final class Generation {

    /** The purpose of the texts' random streams (see {@link RandomStreams}). */
    private static final String STREAM = "sample";
    /**
     * Batches per thread a {@link #stream()} makes at a time: enough that starting the threads and samplers is
     * spread over many texts, few enough to hold.
     */
    public static final int STREAM_BATCHES = 16;

    private final DiffusionModel model;
    private final long from;
    private final long count;
    private final String samplerName;
    private final SamplerProvider sampler;
    private final Map<String, String> samplerSettings;
    private final SamplingOptions options;
    private final Template template;
    private final int remask;
    private final int label;
    private final int batchSize;
    private final int threads;
    private final long seed;
    private final UniformRandomProvider random;
    private final StepObserver observer;

    private Generation(Builder b, SamplerProvider sampler, SamplingOptions options, Template template, int remask,
            int label) {
        this.model = b.model;
        this.from = b.from;
        this.count = b.count;
        this.samplerName = b.sampler;
        this.sampler = sampler;
        this.samplerSettings = Map.copyOf(b.samplerSettings);
        this.options = options;
        this.template = template;
        this.remask = remask;
        this.label = label;
        this.batchSize = b.batchSize;
        this.threads = b.threads;
        this.seed = b.seed;
        this.random = b.random;
        this.observer = b.observer;
    }

    /**
     * Generates the texts {@code [from, from + count)}. With a seed (the default), every call gives the same texts;
     * with {@link Builder#random(UniformRandomProvider)}, each call draws a new seed from that generator.
     *
     * @throws IllegalStateException if the count is over {@link Builder#MAX_COUNT} (use {@link #stream()})
     * @return the texts, in index order
     */
    public List<String> generate() {
        return sample().texts();
    }

    /**
     * As {@link #generate()}, with the model calls and rows the texts cost (the NFE per text).
     *
     * @return the texts and what they cost
     */
    public Samples sample() {
        if (count > Builder.MAX_COUNT) {
            throw new IllegalStateException("a list holds at most " + Builder.MAX_COUNT + " texts, " + count
                    + " were asked for: stream() makes any number");
        }
        RandomStreams streams = streams();
        GenerationEngine.Result made = model.engine().generate(plan(), workers(), (int) count,
                j -> streams.key(STREAM, from + j));
        return new Samples(made.texts(), made.modelCalls(), made.modelRows());
    }

    /**
     * {@return the texts {@code [from, from + count)} in order, made {@value #STREAM_BATCHES} batches per thread at a
     * time as the stream is read (so at most {@code STREAM_BATCHES × batchSize × threads} texts are held), the same
     * texts as {@link #generate()}} Sequential; to spread a large range over machines, give each a sub-range with
     * {@link Builder#from(long)}.
     */
    public Stream<String> stream() {
        RandomStreams streams = streams();
        long chunk = (long) STREAM_BATCHES * batchSize * threads;
        Iterator<String> texts = new Iterator<>() {
            private long done;
            private List<String> buffer = List.of();
            private int next;

            @Override
            public boolean hasNext() {
                return next < buffer.size() || done < count;
            }

            @Override
            public String next() {
                if (next == buffer.size()) {
                    if (done >= count) {
                        throw new NoSuchElementException();
                    }
                    int size = (int) Math.min(chunk, count - done);
                    long start = from + done;
                    buffer = model.engine().generate(plan(), workers(), size, j -> streams.key(STREAM, start + j))
                            .texts();
                    done += size;
                    next = 0;
                }
                return buffer.get(next++);
            }
        };
        return StreamSupport.stream(Spliterators.spliterator(texts, count, Spliterator.ORDERED
                | Spliterator.NONNULL | Spliterator.IMMUTABLE), false);
    }

    /** What every row of this request undergoes. */
    private GenerationEngine.Plan plan() {
        return new GenerationEngine.Plan(() -> sampler.create(samplerSettings), options, template, remask, label);
    }

    private GenerationEngine.Workers workers() {
        return new GenerationEngine.Workers(batchSize, threads, observer);
    }

    private RandomStreams streams() {
        return new RandomStreams(random != null ? random.nextLong() : seed);
    }

    /** {@return the index of the first text} */
    public long from() {
        return from;
    }

    /** {@return how many texts} */
    public long count() {
        return count;
    }

    /** {@return the seed of the texts (with {@link Builder#random}, each call draws its own)} */
    public long seed() {
        return seed;
    }

    /** {@return the sampler's provider name} */
    public String sampler() {
        return samplerName;
    }

    /** {@return the sampler's own settings, as given} */
    public Map<String, String> samplerSettings() {
        return samplerSettings;
    }

    /** {@return the shared sampling options} */
    public SamplingOptions options() {
        return options;
    }

    /**
     * {@return the rows every text starts from (for an edit, the text itself, before its positions are masked again)}
     */
    public Template template() {
        return template;
    }

    /** {@return the label the texts are generated for, or null} */
    public String label() {
        return label < 0 ? null : model.labels().get(label);
    }

    /**
     * For {@link Builder#edit(String, double)}: how many of the text's characters each row masks again (else 0).
     *
     * @return the characters masked again per row
     */
    public int remasked() {
        return remask;
    }

    /** Sets up a generation; every value is checked by {@link #build()}. */
    public static final class Builder {

        /** The most texts {@link Generation#generate()} returns in one list ({@link Generation#stream()} has no limit). */
        public static final int MAX_COUNT = 1_000_000;
        /** Texts per request when none is set. */
        public static final int DEFAULT_COUNT = 20;
        /** Rows per model call when none is set. */
        public static final int DEFAULT_BATCH_SIZE = 64;
        /** The sampler when none is set: the reference's. */
        public static final String DEFAULT_SAMPLER = "confidence";
        /**
         * The temperature when none is set: the reference's, below 1 (the model's own distribution) for texts that
         * read as real ones.
         */
        public static final double DEFAULT_TEMPERATURE = 0.8;

        private final DiffusionModel model;
        private long from;
        private long count = DEFAULT_COUNT;
        private String sampler = DEFAULT_SAMPLER;
        private final Map<String, String> samplerSettings = new TreeMap<>();
        private SamplingOptions.Builder options;
        private Template template;
        private String pattern;
        private String prefix;
        private String suffix;
        private Integer length;
        private Integer maxChars;
        private String editText;
        private double editStrength;
        private String editPattern;
        private Double startTime;
        private String label;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int threads = Parallel.defaultThreads();
        private long seed = RandomStreams.DEFAULT_SEED;
        private UniformRandomProvider random;
        private StepObserver observer = StepObserver.NONE;

        Builder(DiffusionModel model) {
            this.model = model;
            this.options = new SamplingOptions(model.diffusionSteps(), DEFAULT_TEMPERATURE).toBuilder();
        }

        /**
         * How many texts (20); 0 gives none. A list holds at most {@link #MAX_COUNT}; {@link Generation#stream()} any
         * number.
         *
         * @param value how many texts
         * @return this builder
         */
        public Builder count(long value) {
            count = value;
            return this;
        }

        /**
         * The index of the first text (0): the request makes texts {@code [from, from + count)}.
         *
         * @param value the index of the first text
         * @return this builder
         */
        public Builder from(long value) {
            from = value;
            return this;
        }

        /**
         * The sampler's provider name ("confidence", "ancestral", "remask-lowconf", "threshold", "blocks"…).
         *
         * @param name the sampler's provider name
         * @return this builder
         */
        public Builder sampler(String name) {
            Objects.requireNonNull(name, "sampler");
            sampler = name;
            return this;
        }

        /**
         * One of the sampler's own settings (e.g. {@code threshold} of "threshold", {@code length} of
         * "blocks").
         *
         * @param key the setting's key
         * @param value its value, as {@link String#valueOf(Object)} writes it
         * @return this builder
         */
        public Builder samplerSetting(String key, Object value) {
            Objects.requireNonNull(key, "sampler setting key");
            samplerSettings.put(key, String.valueOf(value));
            return this;
        }

        /**
         * The sampler's own settings, replacing any set before.
         *
         * @param settings the sampler's own settings, replacing any set before
         * @return this builder
         */
        public Builder samplerSettings(Map<String, String> settings) {
            Objects.requireNonNull(settings, "sampler settings");
            samplerSettings.clear();
            samplerSettings.putAll(settings);
            return this;
        }

        /**
         * All shared options at once (steps, temperature, top-k, top-p, confidence, decoding).
         *
         * @param value the shared options
         * @return this builder
         */
        public Builder options(SamplingOptions value) {
            Objects.requireNonNull(value, "options");
            options = value.toBuilder();
            return this;
        }

        /**
         * Reverse steps T (default: the model's training T).
         *
         * @param value reverse steps T
         * @return this builder
         */
        public Builder steps(int value) {
            options.steps(value);
            return this;
        }

        /**
         * Sampling temperature ({@value #DEFAULT_TEMPERATURE}; 1: the model's own distribution).
         *
         * @param value sampling temperature
         * @return this builder
         */
        public Builder temperature(double value) {
            options.temperature(value);
            return this;
        }

        /**
         * Keep only the k most likely tokens at each position (0: all).
         *
         * @param value k (0: all)
         * @return this builder
         */
        public Builder topK(int value) {
            options.topK(value);
            return this;
        }

        /**
         * Keep the most likely tokens up to this probability mass (1: all).
         *
         * @param value p (1: all)
         * @return this builder
         */
        public Builder topP(double value) {
            options.topP(value);
            return this;
        }

        /**
         * How a drawn token's confidence is measured (default: its probability).
         *
         * @param value the measure
         * @return this builder
         */
        public Builder confidence(ConfidenceMeasure value) {
            Objects.requireNonNull(value, "confidence");
            options.confidence(value);
            return this;
        }

        /**
         * As the reference decodes: MASK may be drawn, PAD and MASK are dropped wherever they stand, and PAD is
         * tempered like every token (so it also sets {@link #keepLengths} to the opposite).
         *
         * @param value whether to decode as the reference does
         * @return this builder
         */
        public Builder referenceDecoding(boolean value) {
            options.emitMask(value).endAtFirstPad(!value).keepLengths(!value);
            return this;
        }

        /**
         * Whether the temperature leaves where texts end alone (default true): PAD keeps its probability at τ = 1 and
         * the characters alone are tempered; see {@link SamplingOptions#keepLengths()}.
         *
         * @param value whether lengths are kept
         * @return this builder
         */
        public Builder keepLengths(boolean value) {
            options.keepLengths(value);
            return this;
        }

        /**
         * A pattern of fixed characters and '_' to fill ({@code "em__a"}); the length is exact.
         *
         * @param value the pattern
         * @return this builder
         */
        public Builder template(String value) {
            Objects.requireNonNull(value, "template");
            pattern = value;
            return this;
        }

        /**
         * A template made beforehand.
         *
         * @param value a template made beforehand
         * @return this builder
         */
        public Builder template(Template value) {
            Objects.requireNonNull(value, "template");
            template = value;
            return this;
        }

        /**
         * Texts start with this.
         *
         * @param value the prefix
         * @return this builder
         */
        public Builder prefix(String value) {
            Objects.requireNonNull(value, "prefix");
            prefix = value;
            return this;
        }

        /**
         * Texts end with this (needs {@link #length(int)}).
         *
         * @param value the suffix
         * @return this builder
         */
        public Builder suffix(String value) {
            Objects.requireNonNull(value, "suffix");
            suffix = value;
            return this;
        }

        /**
         * Texts have exactly this many characters.
         *
         * @param value the length
         * @return this builder
         */
        public Builder length(int value) {
            length = value;
            return this;
        }

        /**
         * Texts have at most this many characters.
         *
         * @param value the most characters
         * @return this builder
         */
        public Builder maxChars(int value) {
            maxChars = value;
            return this;
        }

        /**
         * Variations of an existing text: in each row, round(strength·n) of the text's n characters (at least one),
         * chosen at random, are masked again and regenerated; the other characters, and the length, are kept. The
         * reverse process starts at the time whose mask rate is that share of the row (SDEdit), unless
         * {@link #startTime} says otherwise.
         *
         * @param strength in (0, 1]: 1 regenerates every character
         * @param text the text to vary
         * @return this builder
         */
        public Builder edit(String text, double strength) {
            Objects.requireNonNull(text, "edit text");
            editText = text;
            editStrength = strength;
            return this;
        }

        /**
         * Regenerates the positions of {@code pattern} marked '_' (or a set), keeping every other character ({@code
         * "je_s_ca"}); starts at the time whose mask rate is their share of the row, unless {@link #startTime} says
         * otherwise.
         *
         * @param pattern the text, with the positions to regenerate marked '_'
         * @return this builder
         */
        public Builder editKeeping(String pattern) {
            Objects.requireNonNull(pattern, "pattern");
            editPattern = pattern;
            return this;
        }

        /**
         * The time in (0, 1] the reverse process starts from (default: 1, or an edit's own).
         *
         * @param value the start time, in (0, 1]
         * @return this builder
         */
        public Builder startTime(double value) {
            startTime = value;
            return this;
        }

        /**
         * Generate for a label of a conditional model (see {@link DiffusionModel#labels()}).
         *
         * @param value the label
         * @return this builder
         */
        public Builder label(String value) {
            Objects.requireNonNull(value, "label");
            label = value;
            return this;
        }

        /**
         * Classifier-free guidance γ ≥ 0 towards the label (0: plain conditional sampling); the unconditional rows go
         * to the model in the same call as the conditional ones.
         *
         * @param value γ ≥ 0
         * @return this builder
         */
        public Builder guidance(double value) {
            options.guidance(value);
            return this;
        }

        /**
         * Rows per model call (64); the texts do not depend on it.
         *
         * @param value rows per model call
         * @return this builder
         */
        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        /**
         * Batches run at once (default: the available processors); the texts do not depend on it.
         *
         * @param value batches run at once
         * @return this builder
         */
        public Builder threads(int value) {
            threads = value;
            return this;
        }

        /**
         * The seed of the draws (1).
         *
         * @param value the seed of the draws
         * @return this builder
         */
        public Builder seed(long value) {
            seed = value;
            random = null;
            return this;
        }

        /**
         * Draw from this generator instead of a seed.
         *
         * @param value the generator to draw from
         * @return this builder
         */
        public Builder random(UniformRandomProvider value) {
            Objects.requireNonNull(value, "random");
            random = value;
            return this;
        }

        /**
         * Told after every reverse step of every batch; calls are serialised.
         *
         * @param value the observer
         * @return this builder
         */
        public Builder observer(StepObserver value) {
            observer = value == null ? StepObserver.NONE : value;
            return this;
        }

        /**
         * Checks every setting and makes the request.
         *
         * @throws IllegalArgumentException naming the setting at fault and why
         * @return the request
         */
        public Generation build() {
            if (count < 0) {
                throw new IllegalArgumentException("count must be ≥ 0, got " + count);
            }
            if (from < 0 || from > Long.MAX_VALUE - count) {
                throw new IllegalArgumentException("from must be ≥ 0 and from + count at most " + Long.MAX_VALUE
                        + ", got from " + from + " and count " + count);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
            }
            Template rows = template();
            int remask = 0;
            int masked = 0;
            if (editText != null) {
                if (!(editStrength > 0 && editStrength <= 1)) {
                    throw new IllegalArgumentException("the edit strength must be in (0, 1], got " + editStrength);
                }
                if (editText.indexOf(Template.BLANK) >= 0 || editText.indexOf('[') >= 0) {
                    throw new IllegalArgumentException("the text to edit has '" + Template.BLANK + "' or a set: to say "
                            + "which positions to regenerate, edit keeping a pattern instead");
                }
                remask = Math.max(1, (int) Math.round(editStrength * rows.exactLength()));
                masked = remask;
            } else if (editPattern != null) {
                masked = (int) Arrays.stream(rows.ids()).filter(id -> id == model.tokenizer().maskId())
                        .count();
                if (masked == 0) {
                    throw new IllegalArgumentException("'" + editPattern + "' marks no position to regenerate (mark "
                            + "them with '" + Template.BLANK + "')");
                }
            }
            if (startTime != null) {
                options.startTime(startTime);
            } else if (masked > 0) {
                options.startTime(model.schedule().timeOfRate((double) masked / model.tokenizer().maxLength()));
            }
            SamplingOptions shared = options.build();
            int labelId = label == null ? -1 : model.labelId(label);
            if (shared.guidance() > 0 && labelId < 0) {
                throw new IllegalArgumentException("guidance needs a label to guide towards"
                        + (model.labels().isEmpty() ? ", and the model has none" : " (" + String.join(", ",
                                model.labels()) + ")"));
            }
            SamplerProvider provider = Registry.find(SamplerProvider.class, sampler);
            // made once here so that bad settings fail now; each worker makes its own later
            provider.create(samplerSettings).check(shared);
            return new Generation(this, provider, shared, rows, remask, labelId);
        }

        /**
         * {@link #build()} and {@link Generation#generate()} in one call.
         *
         * @return the texts
         */
        public List<String> generate() {
            return build().generate();
        }

        /**
         * {@link #build()} and {@link Generation#sample()} in one call: the texts with their model calls.
         *
         * @return the texts and what they cost
         */
        public Samples sample() {
            return build().sample();
        }

        private Template template() {
            Tokenizer tokenizer = model.tokenizer();
            boolean parts = prefix != null || suffix != null || length != null || maxChars != null;
            boolean edit = editText != null || editPattern != null;
            if (edit && (parts || template != null || pattern != null || (editText != null && editPattern != null))) {
                throw new IllegalArgumentException("an edit starts from its own text: give no template, prefix, "
                        + "suffix, length or maximum with it, and one edit only");
            }
            if (edit) {
                return Template.pattern(tokenizer, editText != null ? editText : editPattern);
            }
            if ((template != null || pattern != null) && parts) {
                throw new IllegalArgumentException("a template already fixes the text; give no prefix, suffix, "
                        + "length or maximum with it");
            }
            if (template != null && pattern != null) {
                throw new IllegalArgumentException("give a template or a pattern, not both");
            }
            if (template != null) {
                return template;
            }
            if (pattern != null) {
                return Template.pattern(tokenizer, pattern);
            }
            if (!parts && model.split().map(DataSplit::tail).orElse(false)) {
                // a model of running text never saw PAD (its windows are full): it fills whole windows, and a prefix
                // without a length does the same
                return Template.of(tokenizer, null, null, tokenizer.maxLength());
            }
            if (parts && length == null && maxChars == null && suffix == null
                    && model.split().map(DataSplit::tail).orElse(false)) {
                return Template.of(tokenizer, prefix, null, tokenizer.maxLength());
            }
            return parts ? Template.of(tokenizer, prefix, suffix, length, maxChars) : Template.free(tokenizer);
        }
    }
}
