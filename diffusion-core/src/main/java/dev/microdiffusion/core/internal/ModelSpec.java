package dev.microdiffusion.core.internal;

import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.NoiseScheduleProvider;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.spi.TokenizerProvider;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * What a model is made of, by name: its denoiser, tokenizer and schedule providers with their settings, its row
 * length and its labels. The one place where providers are found and a denoiser's defaults are merged with the
 * settings given, for a training run, a model file and the benchmarks alike; {@link #denoiser} makes the denoiser.
 * Immutable.
 */
public final class ModelSpec {

    /** The tokenizer a model that names none uses. */
    public static final String DEFAULT_TOKENIZER = "char";
    /** The schedule a model that names none uses. */
    public static final String DEFAULT_SCHEDULE = "cosine";

    private final DenoiserProvider denoiser;
    private final TokenizerProvider tokenizer;
    private final String schedule;
    private final Map<String, String> denoiserSettings;
    private final Map<String, String> scheduleSettings;
    private final Integer maxLength;
    private final List<String> labels;

    private ModelSpec(DenoiserProvider denoiser, TokenizerProvider tokenizer, String schedule,
            Map<String, String> denoiserSettings, Map<String, String> scheduleSettings, Integer maxLength,
            List<String> labels) {
        this.denoiser = denoiser;
        this.tokenizer = tokenizer;
        this.schedule = schedule;
        this.denoiserSettings = Map.copyOf(denoiserSettings);
        this.scheduleSettings = Map.copyOf(scheduleSettings);
        this.maxLength = maxLength;
        this.labels = List.copyOf(labels);
    }

    /**
     * A spec of these providers with no settings of their own, the denoiser's row length and no labels.
     *
     * @param denoiser the denoiser's provider name
     * @param tokenizer the tokenizer's provider name
     * @throws IllegalArgumentException naming a provider that is not registered, and those that are
     * @return the spec
     */
    public static ModelSpec of(String denoiser, String tokenizer) {
        return new ModelSpec(Registry.find(DenoiserProvider.class, denoiser),
                Registry.find(TokenizerProvider.class, tokenizer), DEFAULT_SCHEDULE, Map.of(), Map.of(), null,
                List.of());
    }

    /**
     * {@return this spec with the denoiser's settings over its defaults}
     *
     * @param settings key to value, as the denoiser's settings spell them
     */
    public ModelSpec denoiserSettings(Map<String, String> settings) {
        return new ModelSpec(denoiser, tokenizer, schedule, settings, scheduleSettings, maxLength, labels);
    }

    /**
     * {@return this spec with another schedule}
     *
     * @param name the schedule's provider name
     * @param settings its settings
     */
    public ModelSpec schedule(String name, Map<String, String> settings) {
        return new ModelSpec(denoiser, tokenizer, name, denoiserSettings, settings, maxLength, labels);
    }

    /**
     * {@return this spec with a row length other than the denoiser's}
     *
     * @param length the row length
     */
    public ModelSpec maxLength(int length) {
        return new ModelSpec(denoiser, tokenizer, schedule, denoiserSettings, scheduleSettings, length, labels);
    }

    /**
     * {@return this spec conditioned on labels}
     *
     * @param names the label names, label id i at index i
     * @throws IllegalArgumentException if there are labels and the denoiser takes none
     */
    public ModelSpec labels(List<String> names) {
        if (!names.isEmpty() && !denoiser.takesLabels()) {
            throw new IllegalArgumentException("the " + denoiser.name() + " denoiser takes no labels");
        }
        return new ModelSpec(denoiser, tokenizer, schedule, denoiserSettings, scheduleSettings, maxLength, names);
    }

    /** {@return the denoiser's provider} */
    public DenoiserProvider denoiserProvider() {
        return denoiser;
    }

    /** {@return the tokenizer's provider} */
    public TokenizerProvider tokenizerProvider() {
        return tokenizer;
    }

    /** {@return the label names} */
    public List<String> labels() {
        return labels;
    }

    /**
     * {@return the row length: the one given, else the denoiser's default}
     *
     * @throws IllegalArgumentException if it is outside 1..{@value DenoiserConfig#MAX_LENGTH}
     */
    public int maxLength() {
        int length = maxLength != null ? maxLength : denoiser.defaultMaxLength();
        if (length < 1 || length > DenoiserConfig.MAX_LENGTH) {
            throw new IllegalArgumentException("maxLength must be in 1.." + DenoiserConfig.MAX_LENGTH + ", got "
                    + length);
        }
        return length;
    }

    /**
     * {@return the schedule, made by its provider from the spec's settings}
     *
     * @throws IllegalArgumentException naming an unknown schedule or a setting it refuses
     */
    public NoiseSchedule schedule() {
        return Registry.find(NoiseScheduleProvider.class, schedule).create(scheduleSettings);
    }

    /**
     * {@return a tokenizer fitted on a corpus, with the spec's row length}
     *
     * @param corpus one text per line
     */
    public Tokenizer fitTokenizer(List<String> corpus) {
        return tokenizer.fit(corpus, maxLength());
    }

    /**
     * {@return the tokenizer of a saved vocabulary, with the spec's row length}
     *
     * @param vocabulary the symbols in id order, as {@link Tokenizer#vocabulary()} gives them
     */
    public Tokenizer tokenizer(String vocabulary) {
        return tokenizer.fromVocabulary(vocabulary, maxLength());
    }

    /**
     * {@return the denoiser's config for a tokenizer: its provider's defaults with the spec's settings over them}
     *
     * @param tokens the tokenizer the denoiser reads
     */
    public DenoiserConfig config(Tokenizer tokens) {
        Map<String, String> options = new TreeMap<>(denoiser.defaultConfig(tokens.vocabSize()).options());
        options.putAll(denoiserSettings);
        return new DenoiserConfig(denoiser.name(), tokens.vocabSize(), tokens.maxLength(), labels.size(), options);
    }

    /**
     * {@return a denoiser of {@link #config}, its initial weights drawn from {@code init}}
     *
     * @param tokens the tokenizer the denoiser reads
     * @param init the initial weights' draws
     */
    public Denoiser denoiser(Tokenizer tokens, UniformRandomProvider init) {
        return denoiser.create(config(tokens), init);
    }
}
