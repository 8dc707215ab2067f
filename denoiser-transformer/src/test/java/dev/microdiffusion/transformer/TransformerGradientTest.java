package dev.microdiffusion.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DenoiserConfig;
import dev.microdiffusion.core.RandomStreams;
import dev.microdiffusion.core.check.GradientCheck;
import dev.microdiffusion.core.math.MatrixKernels;
import java.util.Random;
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
}
