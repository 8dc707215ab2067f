package dev.microdiffusion.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.training.ClipPolicy;
import dev.microdiffusion.core.training.LearningRatePolicy;
import dev.microdiffusion.core.training.TrainingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransformerDenoiserTest {

    @Test
    void theReferenceConfigurationHasTheReferenceParameters() {
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, "transformer");
        Denoiser model = provider.create(provider.defaultConfig(28), new RandomStreams(1).stream("init"));
        assertEquals(206_080, model.parameterCount());
        assertEquals(16, model.maxLength());
        List<String> names = model.parameters().stream().map(Parameter::name).toList();
        assertEquals(List.of("tok_emb.weight", "pos_emb.weight", "time_mlp.0.weight", "time_mlp.0.bias",
                "time_mlp.2.weight", "time_mlp.2.bias", "blocks.0.norm1.scale", "blocks.0.attn.qkv.weight",
                "blocks.0.attn.proj.weight", "blocks.0.norm2.scale", "blocks.0.mlp.fc1.weight",
                "blocks.0.mlp.fc2.weight"), names.subList(0, 12));
        assertEquals(List.of("norm_f.scale", "lm_head.weight"), names.subList(names.size() - 2, names.size()));
        assertArrayEquals(new int[] {192, 64}, model.parameters().get(7).shape());
        assertArrayEquals(new int[] {64, 256}, model.parameters().get(11).shape());

        TrainingConfig recipe = provider.referenceTraining();
        assertEquals(3000, recipe.steps());
        assertEquals(50, recipe.diffusionSteps());
        assertEquals(3e-4, recipe.learningRateAt(0));
        assertEquals(3e-4, recipe.learningRateAt(2999));
        assertEquals(LearningRatePolicy.CONSTANT, recipe.policy());
        assertEquals(0.01, recipe.weightDecay());
        assertEquals(ClipPolicy.NONE, recipe.clip());
    }

    @Test
    void initialisationIsPyTorchsDefault() {
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, "transformer");
        Denoiser model = provider.create(provider.defaultConfig(28), new RandomStreams(2).stream("init"));
        for (Parameter p : model.parameters()) {
            float[] v = p.values();
            switch (p.kind()) {
                case SCALE -> {
                    for (float x : v) {
                        assertEquals(1f, x);
                    }
                }
                case EMBEDDING -> {
                    double sq = 0;
                    for (float x : v) {
                        sq += x * x;
                    }
                    assertEquals(1.0, sq / v.length, 0.1, p.name() + " is N(0, 1)");
                }
                default -> {
                    double bound = p.name().startsWith("time_mlp.0") ? 1.0
                            : p.name().startsWith("time_mlp.2") ? 1 / 8.0 : 1 / Math.sqrt(p.shape()[1]);
                    double max = 0;
                    for (float x : v) {
                        max = Math.max(max, Math.abs(x));
                    }
                    assertTrue(max <= bound && max > 0.8 * bound, p.name() + " is U(±" + bound + "), max " + max);
                }
            }
        }
    }

    @Test
    void rowsAreIndependentAndTheBatchIsChecked() {
        Denoiser model = new TransformerDenoiser("transformer", new DenoiserConfig(6, 5).with("d_model", 8), 8, 2, 2,
                MatrixKernels.preferred(), new RandomStreams(3).stream("init"));
        int[] tokens = {0, 1, 2, 4, 5, 5, 5, 5, 5, 5, 3, 2, 1, 0, 4};
        float[] times = {0.1f, 1f, 0.5f};
        float[] all = new float[3 * 5 * 6];
        model.newPass(3).forward(tokens, times, 3, all);
        float[] one = new float[5 * 6];
        model.newPass(8).forward(new int[] {3, 2, 1, 0, 4}, new float[] {0.5f}, 1, one);
        for (int i = 0; i < one.length; i++) {
            assertEquals(all[60 + i], one[i], 1e-5f);
        }
        assertThrows(IllegalArgumentException.class, () -> model.newPass(2).forward(tokens, times, 3, all));
        assertThrows(IllegalStateException.class, () -> model.newPass(2).backward(all, Gradients.OWN));
        assertThrows(IllegalArgumentException.class, () -> new TransformerDenoiser("t", new DenoiserConfig(6, 5), 10, 3,
                1, MatrixKernels.preferred(), new RandomStreams(3).stream("init")));
    }
}
