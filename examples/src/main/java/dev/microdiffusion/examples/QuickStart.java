package dev.microdiffusion.examples;

import dev.microdiffusion.core.Denoiser;
import dev.microdiffusion.core.DenoiserProvider;
import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.NoiseSchedule;
import dev.microdiffusion.core.NoiseScheduleProvider;
import dev.microdiffusion.core.RandomStreams;
import dev.microdiffusion.core.Registry;
import dev.microdiffusion.core.SamplerProvider;
import dev.microdiffusion.core.Tokenizer;
import dev.microdiffusion.core.TokenizerProvider;
import dev.microdiffusion.core.training.Trainer;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.examples.cli.DefaultCorpus;
import java.util.List;

/** The library from code: train the 2-layer MLP on names and print ten new ones. Every piece is found by name. */
public final class QuickStart {

    private QuickStart() {
    }

    public static void main(String[] args) {
        String denoiserName = args.length > 0 ? args[0] : "mlp";
        List<String> names = DefaultCorpus.names();

        DenoiserProvider provider = Registry.find(DenoiserProvider.class, denoiserName);
        Tokenizer tokenizer = Registry.find(TokenizerProvider.class, "char")
                .fit(names, provider.defaultConfig(3).maxLength());
        NoiseSchedule schedule = Registry.find(NoiseScheduleProvider.class, "cosine").create();
        RandomStreams random = new RandomStreams(42);
        Denoiser denoiser = provider.create(provider.defaultConfig(tokenizer.vocabSize()), random.stream("init"));

        TrainingConfig recipe = provider.defaultTraining().withSteps(2000);
        new Trainer(denoiser, schedule, tokenizer.maskId(), recipe)
                .train(tokenizer.encodeCorpus(names), random, TrainingListener.NONE);

        DiffusionModel model = new DiffusionModel(tokenizer, denoiser, schedule, recipe.diffusionSteps());
        model.generate(10, Registry.find(SamplerProvider.class, "confidence").create(), 0.8, random.stream("sample"))
                .forEach(System.out::println);
    }
}
