package dev.microdiffusion.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.microdiffusion.core.Denoiser;
import dev.microdiffusion.core.DenoiserConfig;
import dev.microdiffusion.core.Parameter;
import dev.microdiffusion.core.RandomStreams;
import dev.microdiffusion.core.math.MatrixKernels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every parameter's gradient against central finite differences of the loss Σ c·logits (c random), whose
 * dLoss/dLogits is c, so backward is checked on its own.
 */
class MlpGradientTest {

    static final int VOCAB = 5;
    static final int LENGTH = 3;
    static final int BATCH = 4;

    @ParameterizedTest(name = "depth {0}")
    @ValueSource(ints = {1, 2, 3})
    void everyGradientMatchesFiniteDifferences(int depth) {
        MlpDenoiser mlp = new MlpDenoiser("mlp", new DenoiserConfig(VOCAB, LENGTH), 6, depth, MlpDenoiser.Init.HE,
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
        int[] tokens = new int[BATCH * LENGTH];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(VOCAB);
        }
        float[] times = {0.1f, 0.5f, 0.9f, 1f};
        float[] c = new float[BATCH * LENGTH * VOCAB];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) random.nextGaussian();
        }

        Denoiser.Pass pass = mlp.newPass(BATCH);
        float[] logits = new float[c.length];
        pass.forward(tokens, times, BATCH, logits);
        List<Parameter> params = mlp.parameters();
        float[][] grads = new float[params.size()][];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = new float[params.get(i).size()];
        }
        pass.backward(c, grads);

        float h = 1e-3f;
        int checked = 0;
        for (int pi = 0; pi < params.size(); pi++) {
            float[] w = params.get(pi).values();
            for (int i = 0; i < w.length; i++) {
                float saved = w[i];
                w[i] = saved + h;
                double plus = loss(pass, tokens, times, c, logits);
                w[i] = saved - h;
                double minus = loss(pass, tokens, times, c, logits);
                w[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, grads[pi][i], 2e-3 + 1e-2 * Math.abs(numeric),
                        params.get(pi).name() + "[" + i + "]");
                checked++;
            }
        }
        assertEquals(mlp.parameterCount(), checked);
    }

    private static double loss(Denoiser.Pass pass, int[] tokens, float[] times, float[] c, float[] logits) {
        pass.forward(tokens, times, BATCH, logits);
        double sum = 0;
        for (int i = 0; i < c.length; i++) {
            sum += (double) c[i] * logits[i];
        }
        return sum;
    }
}
