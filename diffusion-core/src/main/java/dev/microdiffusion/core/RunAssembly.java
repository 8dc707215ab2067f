package dev.microdiffusion.core;

import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.corpus.TextCorpus;
import dev.microdiffusion.core.internal.ModelSpec;
import dev.microdiffusion.core.internal.checkpoint.Checkpoint;
import dev.microdiffusion.core.io.CheckpointException;
import dev.microdiffusion.core.io.LoadOptions;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.training.Objective;
import dev.microdiffusion.core.training.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a {@link TrainingRun.Builder}'s settings into a run: a fresh one (providers found through {@link ModelSpec},
 * the tokenizer fitted, the corpus split, the denoiser made) or one resumed from its checkpoint (the saved parts
 * restored, and any setting that would change the saved run refused). The builder only collects.
 */
final class RunAssembly {

    /**
     * What a run is made of.
     *
     * @param model  the model being trained
     * @param data   the texts it trains on and those it holds out
     * @param split  how the corpus was split
     * @param recipe the recipe it trains with
     * @param random the run's random streams
     * @param saved  the training state to resume, or null
     */
    record Parts(DiffusionModel model, EncodedCorpus.Split data, DataSplit split, TrainingConfig recipe,
            RandomStreams random, Checkpoint.SavedTraining saved) {
    }

    private final TrainingRun.Builder b;
    private final List<String> corpus;
    private final TextCorpus text;
    private final String denoiser;
    private final Map<String, String> denoiserSettings;
    private final String schedule;
    private final Map<String, String> scheduleSettings;
    private final String tokenizer;
    private final Integer maxLength;
    private final double validationFraction;
    private final long seed;
    private final TrainingConfig recipe;
    private final String recipeName;
    private final Integer steps;
    private final Integer batchSize;
    private final Double learningRate;
    private final Integer diffusionSteps;
    private final Objective objective;
    private final Double labelDropout;
    private final List<String> labels;
    private final Path resumeFrom;
    private final Map<TrainingSetting, Object> explicit;

    RunAssembly(TrainingRun.Builder b) {
        this.b = b;
        this.corpus = b.corpus;
        this.text = b.text;
        this.denoiser = b.denoiser;
        this.denoiserSettings = b.denoiserSettings;
        this.schedule = b.schedule;
        this.scheduleSettings = b.scheduleSettings;
        this.tokenizer = b.tokenizer;
        this.maxLength = b.maxLength;
        this.validationFraction = b.validationFraction;
        this.seed = b.seed;
        this.recipe = b.recipe;
        this.recipeName = b.recipeName;
        this.steps = b.steps;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.diffusionSteps = b.diffusionSteps;
        this.objective = b.objective;
        this.labelDropout = b.labelDropout;
        this.labels = b.labels;
        this.resumeFrom = b.resumeFrom;
        this.explicit = b.explicit;
    }

    TrainingRun fresh() {
        ModelSpec spec = ModelSpec.of(denoiser, tokenizer).denoiserSettings(denoiserSettings)
                .schedule(schedule, scheduleSettings);
        if (maxLength != null) {
            spec = spec.maxLength(maxLength);
        } else if (text != null) {
            spec = spec.maxLength(TrainingRun.Builder.DEFAULT_TEXT_LENGTH);
        }
        NoiseSchedule noise = spec.schedule();
        TrainingConfig training = withOverrides(recipe != null ? recipe : named(spec.denoiserProvider()));
        spec.maxLength(); // checked before the tokenizer, whose encoded corpus is texts × rows
        spec = spec.labels(labelNames());
        Tokenizer fitted;
        EncodedCorpus all;
        DataSplit split;
        if (text != null) {
            fitted = spec.fitTokenizer(List.of(text.text()));
            all = encodeText(fitted);
            split = new DataSplit(validationFraction, seed, all.fingerprint(), true);
        } else {
            fitted = spec.fitTokenizer(corpus);
            all = withLabels(fitted.encodeCorpus(corpus), fitted, spec.labels());
            if (validationFraction > 0 && all.size() < 2) {
                throw new IllegalArgumentException("holding texts out needs at least two; set the validation "
                        + "fraction to 0");
            }
            split = new DataSplit(validationFraction, seed, all.fingerprint());
        }
        RandomStreams random = new RandomStreams(seed);
        Denoiser made = spec.denoiser(fitted, random.stream("init"));
        DiffusionModel model = new DiffusionModel(fitted, made, noise, training.diffusionSteps(), split, null,
                spec.labels());
        return new TrainingRun(b, new Parts(model, split.apply(all), split, training, random, null));
    }

    /** The running text as windows at every offset, its characters named by line and column when one is refused. */
    private EncodedCorpus encodeText(Tokenizer tokenizer) {
        int[] ids;
        try {
            ids = tokenizer.encodeText(text.text());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(text.source() + ": " + e.getMessage(), e);
        }
        return EncodedCorpus.windows(text.text(), ids, tokenizer.maxLength(), 1);
    }

    private TrainingConfig named(DenoiserProvider provider) {
        return named(provider, recipeName);
    }

    private static TrainingConfig named(DenoiserProvider provider, String name) {
        return TrainingRun.Builder.TUNED_RECIPE.equals(name) ? provider.tunedTraining() : provider.referenceTraining();
    }

    private TrainingConfig withOverrides(TrainingConfig base) {
        TrainingConfig.Builder config = base.toBuilder();
        if (steps != null) {
            config.steps(steps);
        }
        if (batchSize != null) {
            config.batchSize(batchSize);
        }
        if (learningRate != null) {
            config.learningRate(learningRate);
        }
        if (diffusionSteps != null) {
            config.diffusionSteps(diffusionSteps);
        }
        if (objective != null) {
            config.objective(objective);
        }
        if (labelDropout != null) {
            config.labelDropout(labelDropout);
        }
        return config.build();
    }

    /** The sorted distinct label names (none for an unlabelled corpus). */
    private List<String> labelNames() {
        if (labels == null) {
            return List.of();
        }
        if (text != null) {
            throw new IllegalArgumentException("a running text has no labels: label a corpus of texts instead");
        }
        if (labels.size() != corpus.size()) {
            throw new IllegalArgumentException(labels.size() + " labels for " + corpus.size() + " lines");
        }
        TreeSet<String> names = new TreeSet<>();
        for (int n = 0; n < labels.size(); n++) {
            String label = labels.get(n);
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("line " + (n + 1) + " has no label");
            }
            names.add(label);
        }
        return List.copyOf(names);
    }

    /** The encoded corpus with each text's label id among {@code names} (unchanged when there are none). */
    private EncodedCorpus withLabels(EncodedCorpus encoded, Tokenizer tokenizer, List<String> names) {
        if (labels == null) {
            return encoded;
        }
        int[] ids = new int[labels.size()];
        for (int n = 0; n < ids.length; n++) {
            ids[n] = names.indexOf(labels.get(n));
            if (ids[n] < 0) {
                throw new IllegalArgumentException("line " + (n + 1) + " has the label '" + labels.get(n)
                        + "', which the saved run does not know (" + String.join(", ", names) + ")");
            }
        }
        return encoded.labelled(corpus, ids, tokenizer::normalize);
    }

    TrainingRun resumed() throws IOException {
        Checkpoint.Loaded loaded = Checkpoint.load(resumeFrom, LoadOptions.none());
        Checkpoint.SavedTraining saved = loaded.training();
        if (saved == null) {
            throw new CheckpointException(resumeFrom + " holds a model but no training state (the file of a run "
                    + "that checkpoints has one)");
        }
        DiffusionModel model = DiffusionModel.of(loaded);
        DataSplit split = model.split().orElse(new DataSplit(0, saved.seed(), null));
        refuseChanges(model, saved.config(), split, saved.seed());
        if (model.labels().isEmpty() != (labels == null)) {
            throw new IllegalArgumentException(labels == null ? "the saved run is labelled: give the corpus's labels"
                    : "the saved run has no labels, yet labels are given");
        }
        if (split.tail() != (text != null)) {
            throw new IllegalArgumentException(split.tail() ? "the saved run trained on a running text: resume it on "
                    + "that text" : "the saved run trained on a corpus of texts: resume it on those texts");
        }
        // the saved vocabulary and labels, not ones made anew: ids must mean what they meant
        EncodedCorpus all = text != null ? encodeText(model.tokenizer())
                : withLabels(model.tokenizer().encodeCorpus(corpus), model.tokenizer(), model.labels());
        DataSplit kept = new DataSplit(split.validationFraction(), saved.seed(), all.fingerprint(), split.tail());
        DiffusionModel restored = new DiffusionModel(model.tokenizer(), model.denoiser(), model.schedule(),
                model.diffusionSteps(), kept, null, model.labels());
        return new TrainingRun(b, new Parts(restored, kept.apply(all), kept, saved.config(),
                new RandomStreams(saved.seed()), saved));
    }

    /** A resumed run continues the saved recipe: settings that would change it are refused, not ignored. */
    private void refuseChanges(DiffusionModel model, TrainingConfig saved, DataSplit split, long savedSeed) {
        TrainingSetting.SavedRun run = new TrainingSetting.SavedRun(model, saved, split, savedSeed);
        List<ResumeConflictException.Conflict> conflicts = new ArrayList<>();
        explicit.forEach((setting, value) -> {
            // a recipe named is the saved denoiser's recipe of that name
            Object given = value instanceof String name && setting == TrainingSetting.RECIPE
                    ? named(Registry.find(DenoiserProvider.class, model.denoiser().name()), name) : value;
            if (!setting.matches(given, run)) {
                conflicts.add(new ResumeConflictException.Conflict(setting, given, setting.savedValue(run)));
            }
        });
        if (!conflicts.isEmpty()) {
            throw new ResumeConflictException(conflicts, resumeFrom);
        }
    }
}
