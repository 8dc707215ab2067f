package dev.microdiffusion.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.check.GradientCheck;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.RandomStreams;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The whole model's backward, every entry of every parameter, against central finite differences. */
class TransformerGradientTest {

    @Test
    void everyParameterGradientMatchesFiniteDifferences() {
        int vocab = 5;
        int length = 4;
        int batch = 3;
        TransformerDenoiser model = new TransformerDenoiser("transformer", new DenoiserConfig(vocab, length), 8, 2, 2,
                MatrixKernels.preferred(), new RandomStreams(4).stream("init"));
        // scales start at 1; move them so their gradients are tested at a general point
        Random random = new Random(4);
        model.parameters().stream().filter(p -> p.name().endsWith("scale")).forEach(p -> {
            for (int i = 0; i < p.size(); i++) {
                p.values()[i] = (float) (1 + 0.3 * random.nextGaussian());
            }
        });
        int[] tokens = new int[batch * length];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(vocab);
        }
        GradientCheck.Report report = GradientCheck.defaults()
                .run(model, tokens, new float[] {0.2f, 0.7f, 1f}, batch, 4);
        assertTrue(report.passed(), report.toString());
        assertEquals(0, report.skipped(), "GELU and softmax are smooth: " + report);
        assertEquals(model.parameterCount(), report.checked());
    }

    /** Conditioned on labels: the label embedding's gradient too, with rows of real labels and of the null label. */
    @Test
    void aConditionalModelsGradientsMatchFiniteDifferences() {
        int vocab = 5;
        int length = 4;
        int batch = 4;
        TransformerDenoiser model = new TransformerDenoiser("transformer", new DenoiserConfig(vocab, length).withLabels(2),
                8, 2, 1, MatrixKernels.preferred(), new RandomStreams(5).stream("init"));
        Random random = new Random(5);
        int[] tokens = new int[batch * length];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(vocab);
        }
        GradientCheck.Report report = GradientCheck.defaults()
                .run(model, tokens, new float[] {0.2f, 0.7f, 1f, 0.5f}, new int[] {1, -1, 0, 1}, batch, 5);
        assertTrue(report.passed(), report.toString());
        assertEquals(model.parameterCount(), report.checked());
        assertEquals("label_emb.weight", model.parameters().get(model.parameters().size() - 1).name());
    }

    /** A label changes the logits; the unconditional model's weights are those a conditional one starts from. */
    @Test
    void labelsMatterAndLeaveTheOtherWeightsAlone() {
        DenoiserConfig config = new DenoiserConfig(5, 4);
        TransformerDenoiser plain = new TransformerDenoiser("transformer", config, 8, 2, 1, MatrixKernels.preferred(),
                new RandomStreams(6).stream("init"));
        TransformerDenoiser labelled = new TransformerDenoiser("transformer", config.withLabels(3), 8, 2, 1,
                MatrixKernels.preferred(), new RandomStreams(6).stream("init"));
        for (int p = 0; p < plain.parameters().size(); p++) {
            Assertions.assertArrayEquals(plain.parameters().get(p).values(),
                    labelled.parameters().get(p).values(), plain.parameters().get(p).name());
        }
        int[] tokens = {0, 1, 2, 3, 0, 1, 2, 3};
        float[] times = {0.5f, 0.5f};
        float[] a = new float[2 * 4 * 5];
        float[] b = new float[2 * 4 * 5];
        labelled.newPass(2).forward(tokens, times, new int[] {0, 2}, 2, a);
        labelled.newPass(2).forward(tokens, times, new int[] {0, 0}, 2, b);
        Assertions.assertFalse(Arrays.equals(a, b), "another label, other logits");
        labelled.newPass(2).forward(tokens, times, null, 2, b);
        float[] c = new float[2 * 4 * 5];
        labelled.newPass(2).forward(tokens, times, new int[] {-1, -1}, 2, c);
        Assertions.assertArrayEquals(b, c, "no labels is the null label");
        Assertions.assertThrows(IllegalArgumentException.class,
                () -> labelled.newPass(2).forward(tokens, times, new int[] {3, 0}, 2, new float[40]));
        Assertions.assertThrows(IllegalArgumentException.class,
                () -> plain.newPass(2).forward(tokens, times, new int[] {0, 0}, 2, new float[40]));
    }

    /**
     * The text Transformer (rotary positions, no time input, SwiGLU, small initialisation), plain and conditioned on
     * labels: every parameter against finite differences, and blind to the time.
     */
    @Test
    void theTextTransformersGradientsMatchFiniteDifferencesAndItIgnoresTheTime() {
        int vocab = 5;
        int length = 4;
        int batch = 3;
        TransformerShape text = new TransformerShape(8, 2, 2, 0, true, false, true, true);
        for (DenoiserConfig config : new DenoiserConfig[] {new DenoiserConfig(vocab, length),
            new DenoiserConfig(vocab, length).withLabels(2)}) {
            TransformerDenoiser model = new TransformerDenoiser("text-transformer", config, text,
                    MatrixKernels.preferred(), new RandomStreams(8).stream("init"));
            assertTrue(model.parameters().stream().noneMatch(p -> p.name().startsWith("pos_emb")
                    || p.name().startsWith("time_mlp")), "no position embedding, no time input");
            // the small initialisation makes every signal tiny: move the weights to a general point first
            Random random = new Random(8);
            model.parameters().forEach(p -> {
                for (int i = 0; i < p.size(); i++) {
                    p.values()[i] = (float) (p.name().endsWith("scale") ? 1 + 0.3 * random.nextGaussian()
                            : random.nextGaussian() / Math.sqrt(p.shape()[p.shape().length - 1]));
                }
            });
            int[] tokens = new int[batch * length];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = random.nextInt(vocab);
            }
            GradientCheck.Report report = config.labels() == 0
                    ? GradientCheck.defaults().run(model, tokens, new float[] {0.2f, 0.7f, 1f}, batch, 4)
                    : GradientCheck.defaults().run(model, tokens, new float[] {0.2f, 0.7f, 1f}, new int[] {1, -1, 0},
                            batch, 4);
            assertTrue(report.passed(), report.toString());
            assertEquals(model.parameterCount(), report.checked() + report.skipped());
            assertTrue(report.skippedFraction() < 0.05, "few entries where float rounding looks like a kink: " + report);
            float[] early = new float[batch * length * vocab];
            float[] late = new float[batch * length * vocab];
            model.newPass(batch).forward(tokens, new float[] {0.1f, 0.1f, 0.1f}, batch, early);
            model.newPass(batch).forward(tokens, new float[] {0.9f, 0.9f, 0.9f}, batch, late);
            Assertions.assertArrayEquals(early, late, "time-agnostic");
        }
    }
}
