package dev.microdiffusion.examples.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** A training run as JSON (written with snake_case names; the names of counts as in the eval report). */
record RunReport(String corpus, int trainNames, int validationNames, int droppedNames, int vocabSize, long seed,
        String denoiser, Map<String, String> denoiserOptions, long parameters, String schedule,
        Map<String, String> scheduleOptions, TrainingConfig training, List<LossPoint> loss,
        @JsonProperty("loss_last_1000") double lossLast1000, double wallSeconds, double stepsPerSecond,
        String sampler, Map<String, String> samplerOptions, SamplingOptions sampling, double temperature,
        List<String> samples, double samplingSeconds, double namesPerSecond, double novelFraction,
        Map<String, List<String>> temperatureSweep, List<Plots.EvalPoint> validationCurve,
        Nelbo validationNelbo, EvaluationPrinter.QualityReport quality) {

    /** The report of a run that trained with {@code result} and generated {@code names} with {@code generation}. */
    static RunReport of(String corpus, TrainingRun run, TrainingResult result, Generation generation,
            List<String> names, double samplingSeconds, Map<String, List<String>> sweep,
            List<Plots.EvalPoint> validationCurve, Nelbo nelbo, EvaluationPrinter.QualityReport quality) {
        DiffusionModel model = run.model();
        return new RunReport(corpus, run.trainingSet().size(), run.validationSet().size(), run.trainingSet().dropped(),
                model.tokenizer().vocabSize(), run.seed(), model.denoiser().name(),
                model.denoiser().config().options(), model.denoiser().parameterCount(), model.schedule().name(),
                model.schedule().parameters(), run.recipe(), curve(result), result.meanLossOfLast(1000),
                result.wallSeconds(), result.stepsPerSecond(), generation.sampler(), generation.samplerSettings(),
                generation.options(), generation.options().temperature(), names, samplingSeconds,
                names.isEmpty() ? 0 : names.size() / Math.max(samplingSeconds, 1e-9),
                TrainOutput.novelFraction(names, new HashSet<>(run.trainingSet().texts())), sweep,
                validationCurve, nelbo, quality);
    }

    /** The loss every 100 steps: the batch loss at that step and the mean over the 100 steps ending there. */
    record LossPoint(int step, double loss, double meanLast100) {
    }

    static List<LossPoint> curve(TrainingResult result) {
        double[] losses = result.losses();
        List<LossPoint> points = new ArrayList<>();
        for (int step = 0; step < losses.length; step += 100) {
            int from = Math.max(0, step - 99);
            double sum = 0;
            for (int i = from; i <= step; i++) {
                sum += losses[i];
            }
            points.add(new LossPoint(step, losses[step], sum / (step - from + 1)));
        }
        if (losses.length > 0 && (losses.length - 1) % 100 != 0) {
            int last = losses.length - 1;
            points.add(new LossPoint(last, losses[last], result.meanLossOfLast(100)));
        }
        return points;
    }
}
