package dev.microdiffusion.core;

import dev.microdiffusion.core.training.TrainingConfig;
import java.util.Map;
import java.util.function.Function;

/**
 * The settings of a {@link TrainingRun} that fix what is trained, in one table: the builder method that sets each,
 * the value a saved run holds for it (a resumed run refuses a different one, {@link
 * TrainingRun.ResumeConflictException}) and the option the project's command line gives it under. Threads,
 * evaluation and checkpoint settings are not here: they change how a run goes, not what it trains.
 */
public enum TrainingSetting {
    /** {@link TrainingRun.Builder#denoiser}. */
    DENOISER("denoiser", "--denoiser", saved -> saved.model().denoiser().name()),
    /** {@link TrainingRun.Builder#denoiserSetting}: the saved denoiser's options must hold every one given. */
    DENOISER_SETTING("denoiserSetting", "--denoiser-option", saved -> saved.model().denoiser().config().options()) {
        @Override
        boolean matches(Object given, SavedRun saved) {
            return holdsAll(savedValue(saved), given);
        }
    },
    /** {@link TrainingRun.Builder#schedule}. */
    SCHEDULE("schedule", "--schedule", saved -> saved.model().schedule().name()),
    /** {@link TrainingRun.Builder#scheduleSetting}: the saved schedule's parameters must hold every one given. */
    SCHEDULE_SETTING("scheduleSetting", "--schedule-option", saved -> saved.model().schedule().parameters()) {
        @Override
        boolean matches(Object given, SavedRun saved) {
            return holdsAll(savedValue(saved), given);
        }
    },
    /** {@link TrainingRun.Builder#tokenizer}. */
    TOKENIZER("tokenizer", "--tokenizer", saved -> saved.model().tokenizer().name()),
    /** {@link TrainingRun.Builder#maxLength}. */
    MAX_LENGTH("maxLength", "--max-length", saved -> saved.model().tokenizer().maxLength()),
    /** {@link TrainingRun.Builder#validationFraction}. */
    VALIDATION_FRACTION("validationFraction", "--validation", saved -> saved.split().validationFraction()),
    /** {@link TrainingRun.Builder#seed}. */
    SEED("seed", "--seed", SavedRun::seed),
    /**
     * {@link TrainingRun.Builder#recipe(String)} or {@link TrainingRun.Builder#recipe(TrainingConfig)}: a resumed run
     * refuses a recipe that differs from the saved one in anything but the settings checked one by one below.
     */
    RECIPE("recipe", "--recipe", SavedRun::recipe) {
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
    STEPS("steps", "--steps", saved -> saved.recipe().steps()),
    /** {@link TrainingRun.Builder#batchSize}. */
    BATCH_SIZE("batchSize", "--batch-size", saved -> saved.recipe().batchSize()),
    /** {@link TrainingRun.Builder#learningRate}. */
    LEARNING_RATE("learningRate", "--learning-rate", saved -> saved.recipe().learningRate()),
    /** {@link TrainingRun.Builder#diffusionSteps}. */
    DIFFUSION_STEPS("diffusionSteps", "--diffusion-steps", saved -> saved.recipe().diffusionSteps()),
    /** {@link TrainingRun.Builder#objective}. */
    OBJECTIVE("objective", "--objective", saved -> saved.recipe().objective()),
    /** {@link TrainingRun.Builder#labelDropout}. */
    LABEL_DROPOUT("labelDropout", "--label-dropout", saved -> saved.recipe().labelDropout());

    private final String method;
    private final String option;
    private final Function<SavedRun, Object> saved;

    TrainingSetting(String method, String option, Function<SavedRun, Object> saved) {
        this.method = method;
        this.option = option;
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

    /**
     * The long option the project's command line ({@code microdiffusion train}) gives it under.
     *
     * @return the option, e.g. {@code "--learning-rate"}
     */
    public String option() {
        return option;
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
