package dev.microdiffusion.examples;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.training.Objective;
import java.io.IOException;
import java.util.List;

/**
 * Beyond the reference, from code: train with MDLM's objective on a log-linear schedule, report the validation
 * NELBO in bits per character, then fill a template with the ancestral sampler and top-p. Any denoiser name works as
 * the second argument.
 */
public final class MdlmInfill {

    private MdlmInfill() {
    }

    public static void main(String[] args) throws IOException {
        String pattern = args.length > 0 ? args[0] : "ma__a";
        String denoiser = args.length > 1 ? args[1] : "mlp";
        TrainingRun run = TrainingRun.builder(DefaultCorpus.names()).denoiser(denoiser).schedule("loglinear")
                .objective(Objective.MDLM).steps(3000).seed(7).build();
        run.train();
        Nelbo nelbo = run.evaluate();
        System.out.printf("validation NELBO %.3f ± %.3f bits/char%n", nelbo.bitsPerChar(), nelbo.bitsPerCharError());

        DiffusionModel model = run.model();
        List<String> filled = model.generation().count(10).sampler("ancestral").temperature(0.8).topP(0.9)
                .template(pattern).seed(7).generate();
        System.out.println(pattern + " → " + String.join(" ", filled));
    }
}
