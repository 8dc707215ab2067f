package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.check.GradientCheck;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.internal.training.Trainer;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.core.training.TrainingResult;
import dev.microdiffusion.examples.plugin.NeighbourDenoiser;
import dev.microdiffusion.tokenizer.CharTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plug-in example: found by the registry through its own services file, correct gradients, and it learns. */
class NeighbourDenoiserTest {

    @Test
    void theRegistryFindsThePlugIn() {
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, "neighbour");
        Denoiser d = provider.create(provider.defaultConfig(28), new RandomStreams(1).stream("init"));
        assertTrue(d instanceof NeighbourDenoiser);
        assertEquals((12 + 29 + 28 + 29 + 1) * 28, d.parameterCount());
    }

    @Test
    void itsGradientsMatchFiniteDifferences() {
        Denoiser d = new NeighbourDenoiser(new DenoiserConfig(5, 4), new RandomStreams(2).stream("init"));
        int[] tokens = {0, 1, 2, 3, 4, 4, 4, 4, 2, 0, 3, 3};
        GradientCheck.Report report = GradientCheck.defaults().run(d, tokens, new float[] {0.2f, 1f, 0.6f}, 3, 1);
        assertTrue(report.passed(), report.toString());
        assertEquals(0, report.skipped(), "a linear model has no kinks");
    }

    @Test
    void itTrainsOnNames() {
        List<String> names = DefaultCorpus.names();
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, "neighbour");
        Tokenizer tokenizer = CharTokenizer.fit(names, 12);
        RandomStreams random = new RandomStreams(3);
        Denoiser d = provider.create(provider.defaultConfig(tokenizer.vocabSize()), random.stream("init"));
        TrainingResult result = new Trainer(d, new CosineSchedule(), tokenizer.maskId(),
                provider.tunedTraining().withSteps(400)).train(tokenizer.encodeCorpus(names), random,
                        TrainingListener.NONE);
        double start = result.losses()[0];
        double end = result.meanLossOfLast(100);
        assertTrue(start > 3.0, "starts near ln 28: " + start);
        assertTrue(end < 1.2, "learns: " + end);
    }
}
