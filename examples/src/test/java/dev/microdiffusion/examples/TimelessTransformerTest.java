package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Registry;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.check.GradientCheck;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.examples.plugin.TimelessTransformer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The time-agnostic Transformer plug-in: found by name, right gradients, blind to t, trains, saves and reloads. */
class TimelessTransformerTest {

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

    @Test
    void itsGradientsMatchFiniteDifferences() {
        TimelessTransformer model = new TimelessTransformer(new DenoiserConfig(5, 4), 8, 2, 2, MatrixKernels.preferred(),
                new RandomStreams(3).stream("init"));
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

    @Test
    void itIsBlindToTheTime() {
        TimelessTransformer model = new TimelessTransformer(new DenoiserConfig(6, 5), 8, 2, 1, MatrixKernels.preferred(),
                new RandomStreams(2).stream("init"));
        int[] tokens = {5, 1, 5, 2, 0};
        float[] early = new float[5 * 6];
        float[] late = new float[5 * 6];
        Denoiser.Pass pass = model.newPass(1);
        pass.forward(tokens, new float[] {0.1f}, 1, early);
        pass.forward(tokens, new float[] {0.9f}, 1, late);
        assertArrayEquals(early, late, 0f);
    }

    @Test
    void itTrainsSamplesSavesAndReloads(@TempDir Path dir) throws IOException {
        TrainingRun run = TrainingRun.builder(TrainedModels.NAMES).denoiser("timeless-transformer")
                .denoiserSetting("d_model", 16).denoiserSetting("layers", 1).steps(150).threads(1).build();
        run.train();
        double[] losses = run.losses();
        double first = Arrays.stream(losses, 0, 10).average().orElseThrow();
        double last = Arrays.stream(losses, losses.length - 10, losses.length).average().orElseThrow();
        assertTrue(last < first - 0.5, "it learns: " + first + " → " + last);
        List<String> names = run.model().generation().count(12).generate();
        assertTrue(names.stream().anyMatch(n -> n.length() > 1), names.toString());
        Path file = dir.resolve("timeless.safetensors");
        run.save(file);
        DiffusionModel back = DiffusionModel.load(file);
        assertEquals("timeless-transformer", back.denoiser().name());
        assertEquals(names, back.generation().count(12).generate(), "the reloaded model samples the same names");
    }
}
