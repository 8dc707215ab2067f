package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.ResumeConflictException;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.corpus.LabelledCorpus;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.training.Objective;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.examples.DefaultCorpus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** What a training run is made of: its parts, its recipe and its seed; only the options given are passed on. */
final class RunOptions {

    @Option(names = "--denoiser", defaultValue = TrainingRun.Builder.DEFAULT_DENOISER, description = "denoiser name (${DEFAULT-VALUE}); see --list")
    String denoiser;

    @Option(names = "--denoiser-option", paramLabel = "KEY=VALUE",
            description = "a setting of the denoiser, e.g. hidden=128 for the MLPs (saved with the model)")
    Map<String, String> denoiserOptions = new LinkedHashMap<>();

    @Option(names = "--schedule", defaultValue = TrainingRun.Builder.DEFAULT_SCHEDULE, description = "noise schedule (${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--schedule-option", paramLabel = "KEY=VALUE",
            description = "a setting of the schedule, e.g. exponent=3 for polynomial (saved with the model)")
    Map<String, String> scheduleOptions = new LinkedHashMap<>();

    @Option(names = "--objective",
            description = "training loss: reference (cross-entropy everywhere, the reference's) or mdlm (MDLM's "
                    + "weighted masked-only bound) (default: the recipe's)")
    String objective;

    @Option(names = "--recipe", paramLabel = "NAME",
            description = "training recipe: tuned (each denoiser's, chosen by validation NELBO) or reference (the "
                    + "reference's) (default: " + TrainingRun.Builder.DEFAULT_RECIPE + ")")
    String recipe;

    @Option(names = "--validation", defaultValue = "" + TrainingRun.Builder.DEFAULT_VALIDATION,
            description = "fraction of the names held out for validation, chosen by --seed (${DEFAULT-VALUE}; 0 trains on all)")
    double validation;

    @Option(names = "--tokenizer", defaultValue = TrainingRun.Builder.DEFAULT_TOKENIZER, description = "tokenizer (${DEFAULT-VALUE})")
    String tokenizer;

    @Option(names = "--steps", description = "training steps (default: the recipe's, 5000 for MLPs, 3000 for the Transformer)")
    Integer steps;

    @Option(names = "--batch-size", description = "rows per training step (default: the recipe's, 64)")
    Integer batchSize;

    @Option(names = "--learning-rate", description = "peak learning rate (default: the recipe's)")
    Double learningRate;

    @Option(names = "--diffusion-steps", description = "T, the number of diffusion steps (default: the recipe's)")
    Integer diffusionSteps;

    @Option(names = "--max-length", description = "longest name kept; longer ones are dropped (default: the denoiser's)")
    Integer maxLength;

    @Option(names = "--labels",
            description = "a labelled corpus: each line is name<TAB>label (default corpus: datafaker's names labelled "
                    + "male and female), and the denoiser is conditioned on the labels")
    boolean labels;

    @Option(names = "--label-dropout", paramLabel = "P",
            description = "with --labels: the chance a row is trained without its label, for guidance (0.1)")
    Double labelDropout;

    @Option(names = "--seed", defaultValue = "" + RandomStreams.DEFAULT_SEED, description = "seed for data split and order, masks, init and sampling (${DEFAULT-VALUE})")
    long seed;

    /** Passes on the options the user gave (a resumed run refuses those that differ from its own). */
    TrainingRun.Builder apply(TrainingRun.Builder run, ParseResult given) {
        if (given.hasMatchedOption("--denoiser")) {
            run.denoiser(denoiser);
        }
        denoiserOptions.forEach(run::denoiserSetting);
        if (given.hasMatchedOption("--schedule")) {
            run.schedule(schedule);
        }
        scheduleOptions.forEach(run::scheduleSetting);
        if (objective != null) {
            run.objective(Objective.parse(objective));
        }
        if (recipe != null) {
            run.recipe(recipe);
        }
        if (given.hasMatchedOption("--validation")) {
            run.validationFraction(validation);
        }
        if (given.hasMatchedOption("--tokenizer")) {
            run.tokenizer(tokenizer);
        }
        if (given.hasMatchedOption("--seed")) {
            run.seed(seed);
        }
        if (steps != null) {
            run.steps(steps);
        }
        if (batchSize != null) {
            run.batchSize(batchSize);
        }
        if (learningRate != null) {
            run.learningRate(learningRate);
        }
        if (diffusionSteps != null) {
            run.diffusionSteps(diffusionSteps);
        }
        if (maxLength != null) {
            run.maxLength(maxLength);
        }
        if (labelDropout != null) {
            if (!labels) {
                throw new IllegalArgumentException("--label-dropout goes with --labels");
            }
            run.labelDropout(labelDropout);
        }
        return run;
    }

    /** A run on the corpus: the lines of a file (or the default names), labelled ones with --labels. */
    TrainingRun.Builder builder(Path data) throws IOException {
        if (!labels) {
            return TrainingRun.builder(DefaultCorpus.lines(data));
        }
        if (data == null) {
            return TrainingRun.builder(DefaultCorpus.labelledNames());
        }
        return TrainingRun.builder(labelled(data));
    }

    /** A file of name<TAB>label lines; a bad line is named with the file. */
    static LabelledCorpus labelled(Path data) throws IOException {
        try {
            return LabelledCorpus.parse(DefaultCorpus.lines(data));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(data + ": " + e.getMessage());
        }
    }

    /** A refused option with the value given and the one saved (a recipe, a whole record, by its option alone). */
    private static String shown(ResumeConflictException.Conflict conflict) {
        String option = TrainCommand.option(conflict.setting());
        return conflict.given() instanceof TrainingConfig ? option
                : option + " " + conflict.given() + " (saved: " + conflict.saved() + ")";
    }

    /** A description of the corpus, for the header and reports. */
    String source(Path data) {
        return labels && data == null ? DefaultCorpus.labelledSource() : DefaultCorpus.source(data);
    }

    /**
     * Builds the run; a refused change on resume names the options, not the library's settings, and a bad line of
     * the corpus file names the file.
     */
    TrainingRun build(TrainingRun.Builder run, Path data) throws IOException {
        try {
            return run.build();
        } catch (ResumeConflictException e) {
            String options = e.conflicts().stream().map(RunOptions::shown).collect(Collectors.joining(", "));
            throw new IllegalArgumentException(options + (e.conflicts().size() == 1 ? " differs" : " differ")
                    + " from the run saved in " + e.file() + "; a resumed run keeps its recipe");
        } catch (IllegalArgumentException e) {
            if (data != null && e.getMessage() != null && e.getMessage().startsWith("line ")) {
                throw new IllegalArgumentException(data + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }
}
