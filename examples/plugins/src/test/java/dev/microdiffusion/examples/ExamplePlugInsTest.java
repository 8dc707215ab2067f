package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.check.GradientCheck;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example plug-ins built from the toolkit (the time-agnostic Transformer, the convolutional denoiser): found by
 * name, right gradients, blind to t, and they train, sample, save and reload.
 */
class ExamplePlugInsTest {

    @Test
    void theRegistryFindsItWithTheBuiltInsSizes() {
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, "timeless-transformer");
        Denoiser timeless = provider.create(provider.defaultConfig(28), new RandomStreams(1).stream("init"));
        DenoiserProvider builtIn = Registry.find(DenoiserProvider.class, "transformer");
        Denoiser withTime = builtIn.create(builtIn.defaultConfig(28), new RandomStreams(1).stream("init"));
        // the built-in's time MLP is Linear(1→d) and Linear(d→d), with biases
        assertEquals(withTime.parameterCount() - (64 + 64 + 64 * 64 + 64), timeless.parameterCount());
        assertEquals(builtIn.tunedTraining(), provider.tunedTraining(), "the same budget as the built-in");
    }

    private static Denoiser small(String name) {
        DenoiserConfig config = new DenoiserConfig(5, 4);
        config = name.equals("convolution") ? config.with("width", 6).with("blocks", 2)
                : config.with("d_model", 8).with("heads", 2).with("layers", 2);
        return Registry.find(DenoiserProvider.class, name).create(config.named(name), new RandomStreams(3).stream("init"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeless-transformer", "convolution"})
    void itsGradientsMatchFiniteDifferences(String name) {
        Denoiser model = small(name);
        Random random = new Random(4);
        model.parameters().stream().filter(p -> p.name().endsWith("scale")).forEach(p -> {
            for (int i = 0; i < p.size(); i++) {
                p.values()[i] = (float) (1 + 0.3 * random.nextGaussian());
            }
        });
        int[] tokens = {0, 1, 2, 3, 4, 4, 3, 3, 2, 0, 1, 4};
        GradientCheck.Report report = GradientCheck.defaults().run(model, tokens, new float[] {0.2f, 0.7f, 1f}, 3, 4);
        assertTrue(report.passed(), report.toString());
        assertEquals(model.parameterCount(), report.checked(), "every parameter is smooth in its loss");
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeless-transformer", "convolution"})
    void itIsBlindToTheTime(String name) {
        Denoiser model = small(name);
        int[] tokens = {4, 1, 4, 2};
        float[] early = new float[4 * 5];
        float[] late = new float[4 * 5];
        Denoiser.Pass pass = model.newPass(1);
        pass.forward(tokens, new float[] {0.1f}, 1, early);
        pass.forward(tokens, new float[] {0.9f}, 1, late);
        assertArrayEquals(early, late, 0f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeless-transformer", "convolution"})
    void itTrainsSamplesSavesAndReloads(String name, @TempDir Path dir) throws IOException {
        TrainingRun.Builder builder = TrainingRun.builder(TrainedModels.NAMES).denoiser(name).steps(150).threads(1);
        if (name.equals("convolution")) {
            builder.denoiserSetting("width", 16).denoiserSetting("blocks", 2);
        } else {
            builder.denoiserSetting("d_model", 16).denoiserSetting("layers", 1);
        }
        TrainingRun run = builder.build();
        run.train();
        double[] losses = run.losses();
        double first = Arrays.stream(losses, 0, 10).average().orElseThrow();
        double last = Arrays.stream(losses, losses.length - 10, losses.length).average().orElseThrow();
        assertTrue(last < first - 0.5, "it learns: " + first + " → " + last);
        List<String> names = run.model().generation().count(12).generate();
        assertTrue(names.stream().anyMatch(n -> n.length() > 1), names.toString());
        Path file = dir.resolve(name + ".safetensors");
        run.save(file);
        DiffusionModel back = DiffusionModel.load(file);
        assertEquals(name, back.denoiser().name());
        assertEquals(names, back.generation().count(12).generate(), "the reloaded model samples the same names");
    }
}
