package dev.microdiffusion.examples;

import dev.microdiffusion.core.Denoiser;
import dev.microdiffusion.core.DenoiserProvider;
import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.EncodedCorpus;
import dev.microdiffusion.core.NoiseSchedule;
import dev.microdiffusion.core.NoiseScheduleProvider;
import dev.microdiffusion.core.RandomStreams;
import dev.microdiffusion.core.Registry;
import dev.microdiffusion.core.SamplerProvider;
import dev.microdiffusion.core.SamplingOptions;
import dev.microdiffusion.core.StepObserver;
import dev.microdiffusion.core.Template;
import dev.microdiffusion.core.Tokenizer;
import dev.microdiffusion.core.TokenizerProvider;
import dev.microdiffusion.core.evaluation.NelboEvaluator;
import dev.microdiffusion.core.training.Objective;
import dev.microdiffusion.core.training.Trainer;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.examples.cli.DefaultCorpus;
import java.util.List;

/**
 * Beyond the reference, from code: train the MLP with MDLM's objective on a log-linear schedule, report the validation
 * NELBO in bits per character, then fill a template with the ancestral sampler and with top-p.
 */
public final class MdlmInfill {

    private MdlmInfill() {
    }

    public static void main(String[] args) {
        String pattern = args.length > 0 ? args[0] : "ma__a";
        List<String> names = DefaultCorpus.names();
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, "mlp");
        Tokenizer tokenizer = Registry.find(TokenizerProvider.class, "char")
                .fit(names, provider.defaultConfig(3).maxLength());
        NoiseSchedule schedule = Registry.find(NoiseScheduleProvider.class, "loglinear").create();
        RandomStreams random = new RandomStreams(7);
        EncodedCorpus.Split split = tokenizer.encodeCorpus(names).split(0.1, random.seed());
        Denoiser denoiser = provider.create(provider.defaultConfig(tokenizer.vocabSize()), random.stream("init"));

        TrainingConfig recipe = provider.defaultTraining().toBuilder().steps(3000).objective(Objective.MDLM).build();
        new Trainer(denoiser, schedule, tokenizer.maskId(), recipe).train(split.train(), random, TrainingListener.NONE);
        DiffusionModel model = new DiffusionModel(tokenizer, denoiser, schedule, recipe.diffusionSteps());

        NelboEvaluator.Result nelbo = new NelboEvaluator(NelboEvaluator.DEFAULT_NODES, 1, 1)
                .evaluate(model, split.validation(), 1);
        System.out.printf("validation NELBO %.3f ± %.3f bits/char%n", nelbo.bitsPerChar(), nelbo.bitsPerCharError());

        SamplingOptions options = new SamplingOptions(recipe.diffusionSteps(), 0.8).toBuilder().topP(0.9).build();
        List<String> filled = model.generate(10, 64, 1, Registry.find(SamplerProvider.class, "ancestral")::create,
                options, Template.pattern(tokenizer, pattern), random.stream("sample"), StepObserver.NONE);
        System.out.println(pattern + " → " + String.join(" ", filled));
    }
}
