package dev.microdiffusion.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.check.GradientCheck;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.spi.RandomStreams;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every entry of every parameter's gradient against central finite differences. */
class MlpGradientTest {

    static final int VOCAB = 5;
    static final int LENGTH = 3;
    static final int BATCH = 4;

    static MlpDenoiser small(int depth) {
        MlpDenoiser mlp = new MlpDenoiser("mlp", new DenoiserConfig(VOCAB, LENGTH), 6, depth, MlpDenoiser.Scheme.HE,
                MatrixKernels.preferred(), new RandomStreams(depth).stream("init"));
        Random random = new Random(depth);
        // biases start at zero; give them values so that their gradients are tested away from that point
        for (Parameter p : mlp.parameters()) {
            if (p.kind() == Parameter.Kind.BIAS) {
                for (int i = 0; i < p.size(); i++) {
                    p.values()[i] = (float) (0.3 * random.nextGaussian());
                }
            }
        }
        return mlp;
    }

    static int[] tokens(long seed) {
        Random random = new Random(seed);
        int[] tokens = new int[BATCH * LENGTH];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(VOCAB);
        }
        return tokens;
    }

    @ParameterizedTest(name = "depth {0}")
    @ValueSource(ints = {1, 2, 3})
    void everyGradientMatchesFiniteDifferences(int depth) {
        MlpDenoiser mlp = small(depth);
        GradientCheck.Report report = GradientCheck.defaults().run(mlp, tokens(depth), new float[] {0.1f, 0.5f, 0.9f, 1f},
                BATCH, depth);
        assertTrue(report.passed(), report.toString());
        assertTrue(report.skippedFraction() < 0.1, report.toString());
        assertEquals(mlp.parameterCount(), report.checked() + report.skipped());
    }

    /** The check itself must catch a wrong gradient. */
    @Test
    void theCheckCatchesAWrongGradient() {
        MlpDenoiser mlp = small(2);
        GradientCheck.Report report = GradientCheck.defaults().run(new ScaledBackward(mlp, 1.1f), tokens(2), new float[] {0.1f, 0.5f, 0.9f, 1f}, BATCH, 2);
        assertFalse(report.passed(), "a 10 % error in every gradient must be caught");
    }

    /** Conditioned on labels: the label rows' gradients too, with real and null labels in one batch. */
    @ParameterizedTest(name = "depth {0}")
    @ValueSource(ints = {1, 2})
    void aConditionalMlpsGradientsMatchFiniteDifferences(int depth) {
        MlpDenoiser mlp = new MlpDenoiser("mlp", new DenoiserConfig(VOCAB, LENGTH).withLabels(3), 6, depth,
                MlpDenoiser.Scheme.HE, MatrixKernels.preferred(), new RandomStreams(depth).stream("init"));
        GradientCheck.Report report = GradientCheck.defaults().run(mlp, tokens(depth), new float[] {0.1f, 0.5f, 0.9f, 1f},
                new int[] {2, -1, 0, 2}, BATCH, depth);
        assertTrue(report.passed(), report.toString());
        assertEquals(mlp.parameterCount(), report.checked() + report.skipped());
        MlpDenoiser plain = new MlpDenoiser("mlp", new DenoiserConfig(VOCAB, LENGTH), 6, depth, MlpDenoiser.Scheme.HE,
                MatrixKernels.preferred(), new RandomStreams(depth).stream("init"));
        for (int p = 0; p < plain.parameters().size(); p++) {
            Assertions.assertArrayEquals(plain.parameters().get(p).values(),
                    mlp.parameters().get(p).values(), "labels leave the other weights as they were");
        }
    }
}
