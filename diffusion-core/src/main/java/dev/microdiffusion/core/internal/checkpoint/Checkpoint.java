package dev.microdiffusion.core.internal.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.internal.ModelSpec;
import dev.microdiffusion.core.internal.training.TrainingState;
import dev.microdiffusion.core.io.CheckpointException;
import dev.microdiffusion.core.io.LoadOptions;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.util.AllocationBudget;
import dev.microdiffusion.core.util.Messages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.rng.RandomProviderState;
import org.apache.commons.rng.core.RandomProviderDefaultState;

/**
 * Saves and loads a model's {@link ModelParts} — and, for resuming, its training state — as one safetensors file.
 *
 * <p>Tensors: every denoiser parameter under its own name (F32); with a training state also
 * {@code optimizer.exp_avg.NAME} and {@code optimizer.exp_avg_sq.NAME} (Adam's m and v, F32) and
 * {@code training.losses} (F64). Metadata (all strings): {@code format}, {@code denoiser} and {@code denoiser.OPTION}
 * for each denoiser option, {@code tokenizer}, {@code vocabulary}, {@code vocab_size}, {@code max_length},
 * {@code schedule} (and its settings {@code schedule.KEY}), {@code diffusion_steps}; with a training state {@code training.step}, {@code training.seed},
 * {@code training.config} (JSON), {@code training.corpus}, {@code training.rng.data}, {@code training.rng.mask}.
 *
 * <p>A file written elsewhere (e.g. from a PyTorch {@code state_dict}) may lack the metadata; {@link LoadOptions}
 * supplies what is missing. Loading builds a new model and returns it only when every tensor was found, of the right
 * shape, and read: a file that does not fit fails with a message naming what is wrong and leaves nothing half-loaded.
 */
public final class Checkpoint {

    public static final String FORMAT = "microdiffusion/1";
    static final String OPTIMIZER_M = "optimizer.exp_avg.";
    static final String OPTIMIZER_V = "optimizer.exp_avg_sq.";
    static final String LOSSES = "training.losses";
    /** A run that averages weights saves the average as the model's tensors and its raw weights under this prefix. */
    static final String RAW_WEIGHTS = "training.raw.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoint() {
    }

    /** A training state as saved, to continue a run with {@link #restoreInto(TrainingState)}. */
    public record SavedTraining(TrainingConfig config, long seed, int step, long corpusFingerprint, byte[] dataRandom,
            byte[] maskRandom, float[][] firstMoments, float[][] secondMoments, double[] losses, float[][] rawWeights) {

        /** Puts this saved state into a fresh state of the same recipe, model and corpus. */
        public void restoreInto(TrainingState state) {
            if (!state.config().equals(config)) {
                throw new CheckpointException("the saved run's recipe differs from this one");
            }
            if (state.corpusFingerprint() != corpusFingerprint) {
                throw new CheckpointException("the saved run trained on another corpus; resume on the same data");
            }
            float[][] m = state.optimizer().firstMoments();
            float[][] v = state.optimizer().secondMoments();
            for (int i = 0; i < m.length; i++) {
                System.arraycopy(firstMoments[i], 0, m[i], 0, m[i].length);
                System.arraycopy(secondMoments[i], 0, v[i], 0, v[i].length);
            }
            state.dataRandom().restoreState(new RandomProviderDefaultState(dataRandom));
            state.maskRandom().restoreState(new RandomProviderDefaultState(maskRandom));
            state.restore(step, losses);
            if (rawWeights != null) {
                // the parameters were loaded with the average; the run steps from the raw weights
                state.restoreRawWeights(rawWeights);
            }
        }
    }

    /** A loaded file: the model's parts, its metadata, and the training state when it was saved with one. */
    public record Loaded(ModelParts parts, Map<String, String> metadata, SavedTraining training) {
    }

    /** Saves a model alone (for sampling). */
    public static void save(Path file, ModelParts model) throws IOException {
        save(file, model, null);
    }

    /** Prefix of the metadata keys saying how the run split its data. */
    static final String RUN_PREFIX = "run.";
    static final String VALIDATION_KEY = RUN_PREFIX + "validation";
    static final String SEED_KEY = RUN_PREFIX + "seed";
    static final String DATA_KEY = RUN_PREFIX + "data";
    /** How the run split its data: absent for a seeded draw of texts, {@value #TAIL} for a running text's tail. */
    static final String SPLIT_KEY = RUN_PREFIX + "split";
    static final String TAIL = "tail";
    /** The label names of a conditional model, as a JSON array in label-id order. */
    static final String LABELS_KEY = "labels";

    /**
     * Saves a model, its data split when known, and, when {@code state} is not null, the state of its training run.
     * Atomic: the file is whole or not written.
     */
    public static void save(Path file, ModelParts model, TrainingState state) throws IOException {
        Denoiser denoiser = model.denoiser();
        Tokenizer tokenizer = model.tokenizer();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        if (denoiser.name() == null) {
            throw new IllegalArgumentException("cannot save " + file + ": the denoiser does not name its provider (make "
                    + "it with a config the provider's name is set on: DenoiserConfig.named)");
        }
        meta.put("denoiser", denoiser.name());
        new TreeMap<>(denoiser.config().options()).forEach((k, v) -> meta.put("denoiser." + k, v));
        meta.put("tokenizer", tokenizer.name());
        meta.put("vocabulary", tokenizer.vocabulary());
        meta.put("vocab_size", Integer.toString(tokenizer.vocabSize()));
        meta.put("max_length", Integer.toString(tokenizer.maxLength()));
        meta.put("schedule", model.schedule().name());
        new TreeMap<>(model.schedule().parameters()).forEach((k, v) -> meta.put("schedule." + k, v));
        meta.put("diffusion_steps", Integer.toString(model.diffusionSteps()));
        if (!model.labels().isEmpty()) {
            meta.put(LABELS_KEY, JSON.writeValueAsString(model.labels()));
        }
        DataSplit split = model.split();
        if (split != null) {
            if (split.corpusFingerprint() != null) {
                meta.put(DATA_KEY, Long.toString(split.corpusFingerprint()));
            }
            meta.put(SEED_KEY, Long.toString(split.seed()));
            meta.put(VALIDATION_KEY, Double.toString(split.validationFraction()));
            if (split.tail()) {
                meta.put(SPLIT_KEY, TAIL);
            }
        }

        List<Tensor> tensors = new ArrayList<>();
        boolean averaged = state != null && state.averagesWeights();
        List<Parameter> parameters = denoiser.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            tensors.add(Tensor.f32(p.name(), p.shape(), averaged ? state.averagedWeights(i) : p.values()));
        }
        if (averaged) {
            for (int i = 0; i < parameters.size(); i++) {
                Parameter p = parameters.get(i);
                tensors.add(Tensor.f32(RAW_WEIGHTS + p.name(), p.shape(), state.rawWeights(i)));
            }
        }
        if (state != null) {
            meta.put("training.step", Integer.toString(state.step()));
            meta.put("training.seed", Long.toString(state.seed()));
            meta.put("training.corpus", Long.toString(state.corpusFingerprint()));
            meta.put("training.config", JSON.writeValueAsString(state.config()));
            meta.put("training.rng.data", encode(state.dataRandom().saveState()));
            meta.put("training.rng.mask", encode(state.maskRandom().saveState()));
            List<Parameter> params = denoiser.parameters();
            for (int i = 0; i < params.size(); i++) {
                tensors.add(Tensor.f32(OPTIMIZER_M + params.get(i).name(), params.get(i).shape(),
                        state.optimizer().firstMoments()[i]));
            }
            for (int i = 0; i < params.size(); i++) {
                tensors.add(Tensor.f32(OPTIMIZER_V + params.get(i).name(), params.get(i).shape(),
                        state.optimizer().secondMoments()[i]));
            }
            double[] losses = state.losses();
            tensors.add(Tensor.f64(LOSSES, new int[] {losses.length}, losses));
        }
        SafeTensors.write(file, meta, tensors);
    }

    private static String encode(RandomProviderState state) {
        return Base64.getEncoder().encodeToString(((RandomProviderDefaultState) state).getState());
    }

    /** Loads a file written by {@link #save} (or a compatible one, with {@code options} filling missing metadata). */
    public static Loaded load(Path file, LoadOptions options) throws IOException {
        try (SafeTensors.Reader reader = SafeTensors.open(file)) {
            Map<String, String> meta = reader.metadata();
            String where = file + ": ";
            String format = meta.get("format");
            if (format != null && !format.equals(FORMAT)) {
                throw new CheckpointException(where + "format " + Messages.printable(format, 60) + " is not " + FORMAT);
            }
            if (format != null) {
                checkKeys(where, meta);
            }
            String denoiserName = pick(where, meta, "denoiser", options.denoiser(), null,
                    "the file does not name its denoiser; give it in the load options (e.g. transformer)");
            String vocabulary = pick(where, meta, "vocabulary", options.vocabulary(), null,
                    "the file has no vocabulary; give it in the load options (e.g. abcdefghijklmnopqrstuvwxyz)");
            ModelSpec spec;
            try {
                spec = ModelSpec.of(denoiserName, pick(where, meta, "tokenizer", options.tokenizer(),
                        ModelSpec.DEFAULT_TOKENIZER, null));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(where + e.getMessage());
            }
            DenoiserProvider provider = spec.denoiserProvider();
            Integer defaultLength = provider.defaultMaxLength();
            int maxLength = integer(where, pick(where, meta, "max_length", str(options.maxLength()),
                    defaultLength.toString(), null), "max_length");
            if (maxLength < 1 || maxLength > DenoiserConfig.MAX_LENGTH) {
                throw new CheckpointException(where + "max_length must be in 1.." + DenoiserConfig.MAX_LENGTH
                        + ", got " + maxLength);
            }
            spec = spec.maxLength(maxLength).denoiserSettings(prefixed(meta, "denoiser."))
                    .schedule(pick(where, meta, "schedule", options.schedule(), ModelSpec.DEFAULT_SCHEDULE, null),
                            prefixed(meta, "schedule."));
            Tokenizer tokenizer;
            try {
                tokenizer = spec.tokenizer(vocabulary);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(where + e.getMessage());
            }
            if (meta.containsKey("vocab_size") && integer(where, meta.get("vocab_size"), "vocab_size") != tokenizer.vocabSize()) {
                throw new CheckpointException(where + "vocab_size " + meta.get("vocab_size") + " does not match the "
                        + tokenizer.vocabSize() + " ids of the vocabulary");
            }
            NoiseSchedule schedule;
            try {
                schedule = spec.schedule();
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(where + e.getMessage());
            }
            int steps = integer(where, pick(where, meta, "diffusion_steps", str(options.diffusionSteps()),
                    Integer.toString(provider.referenceTraining().diffusionSteps()), null), "diffusion_steps");
            List<String> labels = labels(where, meta);
            if (!labels.isEmpty() && !provider.takesLabels()) {
                throw new CheckpointException(where + "the file has labels, the " + denoiserName + " denoiser takes none");
            }
            ModelSpec labelled = spec.labels(labels);
            Denoiser denoiser;
            try {
                // what the metadata describes may take little more than the file's tensors hold (the slack lets a
                // small misfit reach the checks below, which name the tensor); the initial values are all
                // overwritten below, and a fixed stream keeps construction deterministic
                denoiser = AllocationBudget.within(2 * reader.floatCount() + ALLOCATION_SLACK,
                        () -> labelled.denoiser(tokenizer, new RandomStreams(0).stream("init")));
            } catch (AllocationBudget.Exceeded e) {
                throw new CheckpointException(where + "the metadata describes a larger model than the file holds: "
                        + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(where + e.getMessage());
            }

            boolean hasTraining = meta.containsKey("training.step");
            TrainingConfig savedRecipe = hasTraining ? recipe(where, meta) : null;
            boolean averaged = savedRecipe != null && savedRecipe.averagesWeights();
            Set<String> expected = new LinkedHashSet<>();
            for (Parameter p : denoiser.parameters()) {
                expected.add(p.name());
            }
            if (hasTraining) {
                for (Parameter p : denoiser.parameters()) {
                    expected.add(OPTIMIZER_M + p.name());
                }
                for (Parameter p : denoiser.parameters()) {
                    expected.add(OPTIMIZER_V + p.name());
                }
                expected.add(LOSSES);
            }
            if (averaged) {
                for (Parameter p : denoiser.parameters()) {
                    expected.add(RAW_WEIGHTS + p.name());
                }
            }
            checkNames(where, denoiserName, expected, reader.entries().keySet());
            for (Parameter p : denoiser.parameters()) {
                List<String> prefixes = !hasTraining ? List.of("")
                        : averaged ? List.of("", OPTIMIZER_M, OPTIMIZER_V, RAW_WEIGHTS)
                        : List.of("", OPTIMIZER_M, OPTIMIZER_V);
                for (String prefix : prefixes) {
                    SafeTensors.Entry e = reader.entries().get(prefix + p.name());
                    if (!Arrays.equals(e.shape(), p.shape())) {
                        throw new CheckpointException(where + "tensor " + e.name() + " has shape "
                                + Arrays.toString(e.shape()) + ", the " + denoiserName + " model needs "
                                + Arrays.toString(p.shape()));
                    }
                    if (e.dtype() != SafeTensors.DType.F32) {
                        throw new CheckpointException(where + "tensor " + e.name() + " is " + e.dtype()
                                + ", model tensors must be F32");
                    }
                }
            }
            for (Parameter p : denoiser.parameters()) {
                reader.readFloats(p.name(), p.values());
            }
            SavedTraining training = hasTraining ? training(where, reader, meta, denoiser, savedRecipe) : null;
            return new Loaded(new ModelParts(tokenizer, denoiser, schedule, steps, split(where, meta), labels), meta,
                    training);
        }
    }

    /** The metadata under {@code prefix}, the prefix taken off the keys: a provider's settings. */
    private static Map<String, String> prefixed(Map<String, String> meta, String prefix) {
        Map<String, String> settings = new TreeMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                settings.put(k.substring(prefix.length()), v);
            }
        });
        return settings;
    }

    /** Parameter values a file may describe beyond twice what it holds (4 MB): room for a small misfit. */
    private static final long ALLOCATION_SLACK = 1 << 20;

    /** The keys a file of our format may have beyond the prefixed ones (denoiser., schedule., run.). */
    private static final Set<String> KEYS = Set.of("format", "denoiser", "tokenizer", "vocabulary", "vocab_size",
            "max_length", "schedule", "diffusion_steps", LABELS_KEY, "training.step", "training.seed",
            "training.corpus", "training.config", "training.rng.data", "training.rng.mask");
    /** The keys every file of our format has. */
    private static final List<String> REQUIRED = List.of("denoiser", "tokenizer", "vocabulary", "vocab_size",
            "max_length", "schedule", "diffusion_steps");

    /**
     * A file that says it is ours has every key we write and none we do not, so that a changed byte in a key is an
     * error, not a silent default. (Files from elsewhere, which say no format, are read with the load options.)
     */
    private static void checkKeys(String where, Map<String, String> meta) {
        for (String key : REQUIRED) {
            if (!meta.containsKey(key)) {
                throw new CheckpointException(where + "metadata " + key + " is missing");
            }
        }
        for (String key : meta.keySet()) {
            boolean known = KEYS.contains(key) || key.startsWith("denoiser.") || key.startsWith("schedule.")
                    || key.equals(VALIDATION_KEY) || key.equals(SEED_KEY) || key.equals(DATA_KEY) || key.equals(SPLIT_KEY);
            if (!known) {
                throw new CheckpointException(where + "unknown metadata key '" + Messages.printable(key, 60) + "'");
            }
        }
    }

    /** The label names of a conditional model (metadata {@value #LABELS_KEY}, a JSON array), or none. */
    private static List<String> labels(String where, Map<String, String> meta) {
        String value = meta.get(LABELS_KEY);
        if (value == null) {
            return List.of();
        }
        List<String> labels = new ArrayList<>();
        try {
            JsonNode array = JSON.readTree(value);
            if (array == null || !array.isArray() || array.isEmpty()) {
                throw new CheckpointException(where + LABELS_KEY + " must be a non-empty JSON array of names");
            }
            for (JsonNode name : array) {
                if (!name.isTextual() || name.asText().isEmpty()) {
                    throw new CheckpointException(where + LABELS_KEY + " holds something that is not a name");
                }
                labels.add(name.asText());
            }
        } catch (JsonProcessingException e) {
            throw new CheckpointException(where + LABELS_KEY + " is not JSON: " + e.getOriginalMessage());
        }
        if (labels.size() > DenoiserConfig.MAX_LABELS || new HashSet<>(labels).size() != labels.size()) {
            throw new CheckpointException(where + LABELS_KEY + " has too many or repeated names");
        }
        return labels;
    }

    /** How the run split its data: run.* keys, or for files from before them the training seed and no hold-out. */
    private static DataSplit split(String where, Map<String, String> meta) {
        String fraction = meta.get(VALIDATION_KEY);
        String seed = meta.getOrDefault(SEED_KEY, meta.get("training.seed"));
        if (fraction == null && seed == null) {
            return null;
        }
        double validation = 0;
        if (fraction != null) {
            try {
                validation = Double.parseDouble(fraction);
            } catch (NumberFormatException e) {
                throw new CheckpointException(where + VALIDATION_KEY + " must be a number, got '" + fraction + "'");
            }
        }
        String data = meta.get(DATA_KEY);
        String kind = meta.get(SPLIT_KEY);
        if (kind != null && !kind.equals(TAIL)) {
            throw new CheckpointException(where + SPLIT_KEY + " must be '" + TAIL + "' when given, got '"
                    + Messages.printable(kind, 40) + "'");
        }
        try {
            return new DataSplit(validation, seed == null ? 1 : longValue(where, seed, SEED_KEY),
                    data == null ? null : longValue(where, data, DATA_KEY), kind != null);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + VALIDATION_KEY + ": " + e.getMessage());
        }
    }

    private static TrainingConfig recipe(String where, Map<String, String> meta) {
        TrainingConfig config;
        try {
            config = JSON.readValue(require(where, meta, "training.config"), TrainingConfig.class);
            if (config == null) {
                throw new CheckpointException(where + "training.config is null, not a training recipe");
            }
        } catch (JsonProcessingException e) {
            throw new CheckpointException(where + "training.config is not a training recipe: " + e.getOriginalMessage());
        }
        return config;
    }

    private static SavedTraining training(String where, SafeTensors.Reader reader, Map<String, String> meta,
            Denoiser denoiser, TrainingConfig config) throws IOException {
        int step = integer(where, require(where, meta, "training.step"), "training.step");
        long seed = longValue(where, require(where, meta, "training.seed"), "training.seed");
        long corpus = longValue(where, require(where, meta, "training.corpus"), "training.corpus");
        byte[] data = decode(where, require(where, meta, "training.rng.data"), "training.rng.data");
        byte[] mask = decode(where, require(where, meta, "training.rng.mask"), "training.rng.mask");
        List<Parameter> params = denoiser.parameters();
        float[][] m = new float[params.size()][];
        float[][] v = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = new float[params.get(i).size()];
            v[i] = new float[params.get(i).size()];
            reader.readFloats(OPTIMIZER_M + params.get(i).name(), m[i]);
            reader.readFloats(OPTIMIZER_V + params.get(i).name(), v[i]);
        }
        float[][] raw = null;
        if (config.averagesWeights()) {
            raw = new float[params.size()][];
            for (int i = 0; i < params.size(); i++) {
                raw[i] = new float[params.get(i).size()];
                reader.readFloats(RAW_WEIGHTS + params.get(i).name(), raw[i]);
            }
        }
        double[] losses = reader.readDoubles(LOSSES);
        if (losses.length != step || step > config.steps()) {
            throw new CheckpointException(where + "training.step " + step + " does not fit " + losses.length
                    + " saved losses and a run of " + config.steps() + " steps");
        }
        return new SavedTraining(config, seed, step, corpus, data, mask, m, v, losses, raw);
    }

    private static void checkNames(String where, String denoiser, Set<String> expected, Set<String> present) {
        List<String> missing = new ArrayList<>();
        for (String name : expected) {
            if (!present.contains(name)) {
                missing.add(name);
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String name : present) {
            if (!expected.contains(name)) {
                unknown.add(name);
            }
        }
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new CheckpointException(where + "the tensors do not fit the " + denoiser + " model"
                    + (missing.isEmpty() ? "" : "; missing: " + some(missing))
                    + (unknown.isEmpty() ? "" : "; unknown: " + some(unknown)));
        }
    }

    /** The first few names of a list, printable, and how many more there are: an error stays one short line. */
    private static String some(List<String> names) {
        List<String> shown = names.subList(0, Math.min(5, names.size())).stream()
                .map(n -> Messages.printable(n, 60)).toList();
        return String.join(", ", shown) + (names.size() > shown.size() ? " and " + (names.size() - shown.size())
                + " more" : "");
    }

    /** The metadata value, else the option, else the fallback; a conflict or a gap with no fallback is an error. */
    private static String pick(String where, Map<String, String> meta, String key, String option, String fallback,
            String missingMessage) {
        String saved = meta.get(key);
        if (saved != null && option != null && !saved.equals(option)) {
            throw new CheckpointException(where + "the file says " + key + " = '" + Messages.printable(saved, 60)
                    + "', the option says '"
                    + option + "'");
        }
        String value = saved != null ? saved : option != null ? option : fallback;
        if (value == null) {
            throw new CheckpointException(where + missingMessage);
        }
        return value;
    }

    private static String require(String where, Map<String, String> meta, String key) {
        String value = meta.get(key);
        if (value == null) {
            throw new CheckpointException(where + "metadata " + key + " is missing");
        }
        return value;
    }

    private static String str(Integer value) {
        return value == null ? null : value.toString();
    }

    private static int integer(String where, String value, String key) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CheckpointException(where + key + " must be an integer, got '" + Messages.printable(value, 40) + "'");
        }
    }

    private static long longValue(String where, String value, String key) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new CheckpointException(where + key + " must be an integer, got '" + Messages.printable(value, 40) + "'");
        }
    }

    private static byte[] decode(String where, String value, String key) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + key + " is not base64");
        }
    }
}
