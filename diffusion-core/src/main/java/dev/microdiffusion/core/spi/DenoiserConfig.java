package dev.microdiffusion.core.spi;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a denoiser is built for: the tokenizer's vocabulary size and row length, plus the denoiser's own options
 * (sizes, depth…) as strings, so that core needs to know none of them and a checkpoint can store them as they are.
 *
 * @param denoiser the provider name the denoiser is made by; the framework sets it ({@link #named}) when it makes a
 *                 denoiser by name, so that a denoiser need not state it again; null in a config a provider makes
 * @param labels   how many labels the denoiser is conditioned on (ids 0 .. labels−1, and −1 for none: the
 *                 unconditional "null" label); 0 for an unconditional denoiser. Only a provider whose denoisers take
 *                 labels ({@link DenoiserProvider#takesLabels()}) is given more than 0.
 */
public record DenoiserConfig(String denoiser, int vocabSize, int maxLength, int labels, Map<String, String> options) {

    /** The longest rows a denoiser may be built for. */
    public static final int MAX_LENGTH = 4096;

    /** The most labels a denoiser may be conditioned on. */
    public static final int MAX_LABELS = 1 << 16;

    /**
     * Checks the sizes and copies the options.
     *
     * @param denoiser the provider name, or null
     * @param vocabSize V
     * @param maxLength L
     * @param labels the label count
     * @param options the denoiser's own options
     * @throws IllegalArgumentException if a size or the label count is out of range
     */
    public DenoiserConfig {
        if (labels < 0 || labels > MAX_LABELS) {
            throw new IllegalArgumentException("labels must be in [0, " + MAX_LABELS + "], got " + labels);
        }
        if (vocabSize < 3) {
            throw new IllegalArgumentException("vocabSize must hold at least one symbol, PAD and MASK, got " + vocabSize);
        }
        if (maxLength < 1 || maxLength > MAX_LENGTH) {
            throw new IllegalArgumentException("maxLength must be in 1.." + MAX_LENGTH + ", got " + maxLength);
        }
        options = Map.copyOf(new TreeMap<>(options));
    }

    /**
     * A config with no provider name yet, as a provider's {@link DenoiserProvider#defaultConfig} makes it.
     *
     * @param vocabSize V
     * @param maxLength L
     * @param options the denoiser's own options
     */
    public DenoiserConfig(int vocabSize, int maxLength, Map<String, String> options) {
        this(null, vocabSize, maxLength, 0, options);
    }

    /**
     * An unconditional config named for its provider.
     *
     * @param denoiser the provider name
     * @param vocabSize V
     * @param maxLength L
     * @param options the denoiser's own options
     */
    public DenoiserConfig(String denoiser, int vocabSize, int maxLength, Map<String, String> options) {
        this(denoiser, vocabSize, maxLength, 0, options);
    }

    /**
     * An unconditional config with no options, for a provider's {@link DenoiserProvider#defaultConfig}.
     *
     * @param vocabSize V
     * @param maxLength L
     */
    public DenoiserConfig(int vocabSize, int maxLength) {
        this(vocabSize, maxLength, Map.of());
    }

    /**
     * A copy with one option set.
     *
     * @param key   the option's key
     * @param value its value, stored as {@link String#valueOf(Object)} writes it
     * @return the new config
     */
    public DenoiserConfig with(String key, Object value) {
        TreeMap<String, String> copy = new TreeMap<>(options);
        copy.put(key, String.valueOf(value));
        return new DenoiserConfig(denoiser, vocabSize, maxLength, labels, copy);
    }

    /**
     * A copy with each declared setting at its default, as a provider proposes its {@link
     * DenoiserProvider#defaultConfig}.
     *
     * @param defaults the provider's declared settings
     * @return the new config
     */
    public DenoiserConfig with(Setting... defaults) {
        TreeMap<String, String> copy = new TreeMap<>(options);
        for (Setting setting : defaults) {
            copy.put(setting.key(), setting.defaultText());
        }
        return new DenoiserConfig(denoiser, vocabSize, maxLength, labels, copy);
    }

    /**
     * {@return a copy conditioned on {@code count} labels (0: unconditional)}
     *
     * @param count the label count
     */
    public DenoiserConfig withLabels(int count) {
        return new DenoiserConfig(denoiser, vocabSize, maxLength, count, options);
    }

    /**
     * {@return a copy naming the provider the denoiser is made by}
     *
     * @param provider the provider name
     */
    public DenoiserConfig named(String provider) {
        return new DenoiserConfig(provider, vocabSize, maxLength, labels, options);
    }

    /**
     * {@return the options, read the way every provider reads its settings: typed getters with ranges, and {@link
     * Settings#requireOnly} to refuse keys the denoiser does not take}
     */
    public Settings settings() {
        return Settings.of(denoiser == null ? "denoiser" : "denoiser " + denoiser, options);
    }
}
