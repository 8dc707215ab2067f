package dev.microdiffusion.core;

import dev.microdiffusion.core.internal.Parallel;
import dev.microdiffusion.core.internal.generation.GenerationEngine;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;
import dev.microdiffusion.core.sampling.Template;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.SamplerProvider;
import dev.microdiffusion.core.spi.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed generation: a made-up text for every real value, the same for the same value and key on every machine and
 * in every run, so a pseudonymised column still joins with another pseudonymised the same way. Made by
 * {@link DiffusionModel#pseudonymiser(byte[])}:
 *
 * <pre>{@code
 * Pseudonymiser fake = model.pseudonymiser(secret).keepLength(true).build();
 * String name = fake.pseudonym("Eleanor");          // the same name for "Eleanor" every time
 * }</pre>
 *
 * <p>The text of a value is generated from a stream keyed by HMAC-SHA256 of the secret over the value (as the
 * tokenizer normalises it: "Eleanor " and "eleanor" are one value), its label and the settings that shape the text,
 * so without the secret the mapping cannot be recomputed, and a different secret gives an unrelated mapping. A
 * generated text equal to its own value is drawn again (up to {@value #MAX_ATTEMPTS} times) so that no value maps to
 * itself; two values may still share a pseudonym (the model knows only so many names).
 *
 * <p>Per row: a null value gives null; a blank value gives itself; a label the model does not have gives null; a
 * value longer than the model's rows with {@link Builder#keepLength} gives a text of the rows' full length. Nothing
 * in a batch fails another row. Thread-safe.
 */
public final class Pseudonymiser {

    /** The most draws for one value before one equal to the value itself is kept. */
    public static final int MAX_ATTEMPTS = 8;
    /** The shortest secret accepted, in bytes (HMAC-SHA256 keys should be at least this long). */
    public static final int MIN_KEY_BYTES = 16;
    private static final String DOMAIN = "microdiffusion pseudonym v1";

    private final DiffusionModel model;
    private final byte[] key;
    private final SamplerProvider sampler;
    private final String samplerName;
    private final SamplingOptions options;
    private final boolean keepLength;
    private final int batchSize;
    private final int threads;

    private Pseudonymiser(Builder b, SamplerProvider sampler, SamplingOptions options) {
        this.model = b.model;
        this.key = b.key.clone();
        this.sampler = sampler;
        this.samplerName = b.sampler;
        this.options = options;
        this.keepLength = b.keepLength;
        this.batchSize = b.batchSize;
        this.threads = b.threads;
    }

    /**
     * {@return the pseudonym of an unlabelled value (see the class comment for null, blank and long values)}
     *
     * @param value a real value
     */
    public String pseudonym(String value) {
        return pseudonyms(Arrays.asList(value)).get(0);
    }

    /**
     * {@return the pseudonym of a value generated for a label of a conditional model (null label: unconditional)}
     *
     * @param value a real value
     * @param label the label, or null
     */
    public String pseudonym(String value, String label) {
        return pseudonyms(Arrays.asList(value), Arrays.asList(label)).get(0);
    }

    /**
     * {@return the pseudonyms of values, in order, generated in batches}
     *
     * @param values real values
     */
    public List<String> pseudonyms(List<String> values) {
        return pseudonyms(values, null);
    }

    /**
     * The pseudonyms of values, each for its label (null, or a null element: unconditional), in order.
     *
     * @param values real values
     * @param labels one label per value
     * @throws IllegalArgumentException if the lists differ in size
     * @return the pseudonyms
     */
    public List<String> pseudonyms(List<String> values, List<String> labels) {
        if (values == null) {
            throw new NullPointerException("values");
        }
        if (labels != null && labels.size() != values.size()) {
            throw new IllegalArgumentException(values.size() + " values and " + labels.size() + " labels");
        }
        Tokenizer tokenizer = model.tokenizer();
        String[] out = new String[values.size()];
        String[] normal = new String[values.size()];
        // rows grouped by what their canvas shares: the label and the exact length (0: free)
        Map<Long, List<Integer>> groups = new TreeMap<>();
        Map<Long, Integer> groupLabel = new HashMap<>();
        for (int n = 0; n < values.size(); n++) {
            String value = values.get(n);
            String labelName = labels == null ? null : labels.get(n);
            if (value == null) {
                continue;
            }
            normal[n] = tokenizer.normalize(value);
            if (normal[n].isEmpty()) {
                out[n] = value;
                continue;
            }
            int label = labelName == null ? -1 : model.labels().indexOf(labelName);
            if (labelName != null && label < 0) {
                continue;
            }
            int length = keepLength ? Math.min(tokenizer.maxLength(), normal[n].codePointCount(0, normal[n].length()))
                    : 0;
            long group = ((long) (label + 1) << 32) | length;
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(n);
            groupLabel.put(group, label);
        }
        for (Map.Entry<Long, List<Integer>> group : groups.entrySet()) {
            int length = (int) (long) group.getKey();
            int label = groupLabel.get(group.getKey());
            Template template = length == 0 ? Template.free(tokenizer)
                    : Template.of(tokenizer, null, null, length, null);
            List<Integer> rows = group.getValue();
            long[] keys = new long[rows.size()];
            Mac mac = mac();
            for (int k = 0; k < keys.length; k++) {
                keys[k] = keyOf(mac, normal[rows.get(k)], label < 0 ? null : model.labels().get(label), length);
            }
            for (int attempt = 0; !rows.isEmpty() && attempt < MAX_ATTEMPTS; attempt++) {
                int round = attempt;
                long[] roundKeys = keys;
                List<String> made = model.engine().generate(
                        new GenerationEngine.Plan(() -> sampler.create(Map.of()), options, template, 0, label),
                        new GenerationEngine.Workers(batchSize, threads, StepObserver.NONE), rows.size(),
                        k -> roundKeys[k] + round * 0x9E3779B97F4A7C15L).texts();
                List<Integer> again = new ArrayList<>();
                List<Long> againKeys = new ArrayList<>();
                for (int k = 0; k < rows.size(); k++) {
                    int n = rows.get(k);
                    out[n] = made.get(k);
                    if (made.get(k).equals(normal[n]) && attempt + 1 < MAX_ATTEMPTS) {
                        again.add(n);
                        againKeys.add(keys[k]);
                    }
                }
                rows = again;
                keys = againKeys.stream().mapToLong(Long::longValue).toArray();
            }
        }
        return Arrays.asList(out);
    }

    /** The first eight bytes of HMAC-SHA256(secret, domain · value · label · length · sampling settings). */
    private long keyOf(Mac mac, String value, String label, int length) {
        String message = String.join("\u0000", DOMAIN, value, label == null ? "" : label, Integer.toString(length),
                samplerName, options.toString());
        return ByteBuffer.wrap(mac.doFinal(message.getBytes(StandardCharsets.UTF_8))).getLong();
    }

    /** A MAC keyed by the secret, for one call's values (a MAC is not thread-safe; doFinal resets it). */
    private Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    /** The largest key file {@link #readKey} reads (a key is a few dozen bytes; anything larger is another file). */
    public static final int MAX_KEY_FILE_BYTES = 1 << 20;

    /**
     * The secret held in a file: its bytes, all of them (e.g. made by {@code head -c 32 /dev/urandom > key}).
     *
     * @param file the key file
     * @throws IllegalArgumentException beginning with the file's path: missing, a directory, larger than
     *                                  {@link #MAX_KEY_FILE_BYTES} or shorter than {@link #MIN_KEY_BYTES}
     * @throws IOException              if it cannot be read
     * @return the key's bytes
     */
    public static byte[] readKey(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not a key file");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        if (Files.size(file) > MAX_KEY_FILE_BYTES) {
            throw new IllegalArgumentException(file + " has " + Files.size(file) + " bytes, more than a key file holds ("
                    + MAX_KEY_FILE_BYTES + "): is it the key?");
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(file + " has " + key.length + " bytes; a key needs at least "
                    + MIN_KEY_BYTES + " (e.g. head -c 32 /dev/urandom > key)");
        }
        return key;
    }

    /** {@return whether pseudonyms keep their value's length} */
    public boolean keepsLength() {
        return keepLength;
    }

    /** Sets up a pseudonymiser; every value is checked by {@link #build()}. */
    public static final class Builder {
        private final DiffusionModel model;
        private final byte[] key;
        private String sampler = Generation.Builder.DEFAULT_SAMPLER;
        private Double temperature;
        private boolean keepLength;
        private int batchSize = Generation.Builder.DEFAULT_BATCH_SIZE;
        private int threads = Parallel.defaultThreads();

        Builder(DiffusionModel model, byte[] key) {
            if (key == null) {
                throw new NullPointerException("key");
            }
            this.model = model;
            this.key = key.clone();
        }

        /**
         * The sampler's provider name (the default sampler of {@link Generation}).
         *
         * @param name the sampler's provider name
         * @return this builder
         */
        public Builder sampler(String name) {
            if (name == null) {
                throw new NullPointerException("sampler");
            }
            sampler = name;
            return this;
        }

        /**
         * Sampling temperature (that of {@link Generation} when not set).
         *
         * @param value sampling temperature
         * @return this builder
         */
        public Builder temperature(double value) {
            temperature = value;
            return this;
        }

        /**
         * Whether each pseudonym has as many characters as its value (false: any length the model chooses).
         *
         * @param value whether each pseudonym has as many characters as its value
         * @return this builder
         */
        public Builder keepLength(boolean value) {
            keepLength = value;
            return this;
        }

        /**
         * Rows per model call ({@value Generation.Builder#DEFAULT_BATCH_SIZE}); the pseudonyms do not depend on it.
         *
         * @param value rows per model call
         * @return this builder
         */
        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        /**
         * Batches run at once (default: the available processors); the pseudonyms do not depend on it.
         *
         * @param value batches run at once
         * @return this builder
         */
        public Builder threads(int value) {
            threads = value;
            return this;
        }

        /**
         * Checks every setting and makes the pseudonymiser.
         *
         * @throws IllegalArgumentException naming the setting at fault and why
         * @return the pseudonymiser
         */
        public Pseudonymiser build() {
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("the secret key has " + key.length + " bytes; it needs at least "
                        + MIN_KEY_BYTES);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
            }
            SamplingOptions.Builder shared = new SamplingOptions(model.diffusionSteps(), 1.0).toBuilder();
            if (temperature != null) {
                shared.temperature(temperature);
            }
            SamplingOptions options = shared.build();
            SamplerProvider provider = Registry.find(SamplerProvider.class, sampler);
            provider.create(Map.of()).check(options);
            return new Pseudonymiser(this, provider, options);
        }

        /**
         * {@link #build()} and {@link Pseudonymiser#pseudonyms(List)} in one call.
         *
         * @param values real values
         * @return the pseudonyms
         */
        public List<String> pseudonyms(List<String> values) {
            return build().pseudonyms(values);
        }
    }
}
