package dev.microdiffusion.core;

import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.training.TrainingConfig;
import java.util.Map;
import java.util.function.Function;

/**
 * The settings of a {@link TrainingRun} that fix what is trained, in one table: the builder method that sets each,
 * and the value a saved run holds for it (a resumed run refuses a different one, {@link
 * ResumeConflictException}). Threads,
 * evaluation and checkpoint settings are not here: they change how a run goes, not what it trains.
 */
public enum TrainingSetting {
    /** {@link TrainingRun.Builder#denoiser}. */
    DENOISER("denoiser", saved -> saved.model().denoiser().name()),
    /** {@link TrainingRun.Builder#denoiserSetting}: the saved denoiser's options must hold every one given. */
    DENOISER_SETTING("denoiserSetting", saved -> saved.model().denoiser().config().options()) {
        @Override
        boolean matches(Object given, SavedRun saved) {
            return holdsAll(savedValue(saved), given);
        }
    },
    /** {@link TrainingRun.Builder#schedule}. */
    SCHEDULE("schedule", saved -> saved.model().schedule().name()),
    /** {@link TrainingRun.Builder#scheduleSetting}: the saved schedule's parameters must hold every one given. */
    SCHEDULE_SETTING("scheduleSetting", saved -> saved.model().schedule().parameters()) {
        @Override
        boolean matches(Object given, SavedRun saved) {
            return holdsAll(savedValue(saved), given);
        }
    },
    /** {@link TrainingRun.Builder#tokenizer}. */
    TOKENIZER("tokenizer", saved -> saved.model().tokenizer().name()),
    /** {@link TrainingRun.Builder#maxLength}. */
    MAX_LENGTH("maxLength", saved -> saved.model().tokenizer().maxLength()),
    /** {@link TrainingRun.Builder#validationFraction}. */
    VALIDATION_FRACTION("validationFraction", saved -> saved.split().validationFraction()),
    /** {@link TrainingRun.Builder#seed}. */
    SEED("seed", SavedRun::seed),
    /**
     * {@link TrainingRun.Builder#recipe(String)} or {@link TrainingRun.Builder#recipe(TrainingConfig)}: a resumed run
     * refuses a recipe that differs from the saved one in anything but the settings checked one by one below.
     */
    RECIPE("recipe", SavedRun::recipe) {
        @Override
        boolean matches(Object given, SavedRun saved) {
            TrainingConfig recipe = (TrainingConfig) given;
            return recipe.toBuilder().steps(saved.recipe().steps()).batchSize(saved.recipe().batchSize())
                    .learningRate(saved.recipe().learningRate()).diffusionSteps(saved.recipe().diffusionSteps())
                    .objective(saved.recipe().objective()).labelDropout(saved.recipe().labelDropout()).build()
                    .equals(saved.recipe());
        }
    },
    /** {@link TrainingRun.Builder#steps}. */
    STEPS("steps", saved -> saved.recipe().steps()),
    /** {@link TrainingRun.Builder#batchSize}. */
    BATCH_SIZE("batchSize", saved -> saved.recipe().batchSize()),
    /** {@link TrainingRun.Builder#learningRate}. */
    LEARNING_RATE("learningRate", saved -> saved.recipe().learningRate()),
    /** {@link TrainingRun.Builder#diffusionSteps}. */
    DIFFUSION_STEPS("diffusionSteps", saved -> saved.recipe().diffusionSteps()),
    /** {@link TrainingRun.Builder#objective}. */
    OBJECTIVE("objective", saved -> saved.recipe().objective()),
    /** {@link TrainingRun.Builder#labelDropout}. */
    LABEL_DROPOUT("labelDropout", saved -> saved.recipe().labelDropout());

    private final String method;
    private final Function<SavedRun, Object> saved;

    TrainingSetting(String method, Function<SavedRun, Object> saved) {
        this.method = method;
        this.saved = saved;
    }

    /**
     * The name of the {@link TrainingRun.Builder} method that sets it.
     *
     * @return the method name, e.g. {@code "learningRate"}
     */
    public String method() {
        return method;
    }

    /** What a saved run holds for this setting. */
    Object savedValue(SavedRun run) {
        return saved.apply(run);
    }

    /** Whether a value given to a resumed run leaves the saved run as it was. */
    boolean matches(Object given, SavedRun run) {
        return given.equals(savedValue(run));
    }

    private static boolean holdsAll(Object saved, Object given) {
        Map<?, ?> held = (Map<?, ?>) saved;
        return ((Map<?, ?>) given).entrySet().stream().allMatch(e -> e.getValue().equals(held.get(e.getKey())));
    }

    /** A saved run as the resume check sees it: its model, recipe, split and seed. */
    record SavedRun(DiffusionModel model, TrainingConfig recipe, DataSplit split, long seed) {
    }
}
