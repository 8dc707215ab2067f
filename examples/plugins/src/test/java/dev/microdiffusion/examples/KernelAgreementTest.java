package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.internal.sampling.ConfidenceSampler;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.internal.training.Trainer;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.mlp.MlpDenoiser;
import dev.microdiffusion.tokenizer.CharTokenizer;
import dev.microdiffusion.transformer.TransformerDenoiser;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vector kernel and the portable one on the same trained weights, in the reference sizes: logits agree within
 * float rounding, and the confidence sampler draws the same names from the same seed (a name may differ only where a
 * draw sits on a float boundary: at most one row in 64 is allowed to).
 */
class KernelAgreementTest {

    private static final List<String> NAMES = DefaultCorpus.names();

    private static Denoiser build(String name, DenoiserConfig config, MatrixKernel kernel) {
        UniformRandomProvider random = new RandomStreams(3).stream("init");
        return switch (name) {
            case "mlp" -> new MlpDenoiser(name, config, 256, 1, MlpDenoiser.Scheme.HE, kernel, random);
            case "mlp-skip" -> new MlpDenoiser(name, config, 256, 2, MlpDenoiser.Scheme.XAVIER, kernel, random);
            default -> new TransformerDenoiser(name, config, 64, 4, 4, kernel, random);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "mlp-skip", "transformer"})
    void bothKernelsGiveTheSameLogitsAndTheSameNames(String name) {
        MatrixKernel vector = MatrixKernels.vector().orElse(null);
        assertTrue(vector != null, "surefire passes --add-modules jdk.incubator.vector");
        int length = name.equals("transformer") ? 16 : 12;
        Tokenizer tokenizer = CharTokenizer.fit(NAMES, length);
        DenoiserConfig config = new DenoiserConfig(tokenizer.vocabSize(), length);
        Denoiser fast = build(name, config, vector);
        // a short run at a raised rate: enough for peaked, name-like distributions
        TrainingConfig recipe = Registry.find(DenoiserProvider.class, name).referenceTraining().toBuilder()
                .steps(name.equals("transformer") ? 150 : 400).learningRate(name.equals("transformer") ? 3e-3 : 1e-2)
                .build();
        new Trainer(fast, new CosineSchedule(), tokenizer.maskId(), recipe)
                .train(tokenizer.encodeCorpus(NAMES), new RandomStreams(4), TrainingListener.NONE);
        Denoiser plain = build(name, config, MatrixKernels.portable());
        for (int p = 0; p < fast.parameters().size(); p++) {
            float[] from = fast.parameters().get(p).values();
            System.arraycopy(from, 0, plain.parameters().get(p).values(), 0, from.length);
        }

        int batch = 64;
        int vocab = tokenizer.vocabSize();
        UniformRandomProvider random = new RandomStreams(5).stream("rows");
        int[] tokens = new int[batch * length];
        float[] times = new float[batch];
        for (int b = 0; b < batch; b++) {
            times[b] = (float) random.nextDouble();
            for (int i = 0; i < length; i++) {
                tokens[b * length + i] = random.nextDouble() < times[b] ? tokenizer.maskId() : random.nextInt(vocab - 1);
            }
        }
        float[] fastLogits = new float[batch * length * vocab];
        float[] plainLogits = new float[fastLogits.length];
        fast.newPass(batch).forward(tokens, times, batch, fastLogits);
        plain.newPass(batch).forward(tokens, times, batch, plainLogits);
        for (int i = 0; i < fastLogits.length; i++) {
            assertEquals(plainLogits[i], fastLogits[i], 2e-4 * (1 + Math.abs(plainLogits[i])), name + " logit " + i);
        }

        int[] fastNames = sample(fast, tokenizer, batch);
        int[] plainNames = sample(plain, tokenizer, batch);
        int differing = 0;
        for (int b = 0; b < batch; b++) {
            if (!Arrays.equals(fastNames, b * length, (b + 1) * length, plainNames, b * length, (b + 1) * length)) {
                differing++;
            }
        }
        assertTrue(differing <= 1, name + ": " + differing + " of " + batch + " names differ between the kernels");
    }

    private static int[] sample(Denoiser denoiser, Tokenizer tokenizer, int batch) {
        Canvas canvas = Canvas.of(tokenizer, batch).reset(batch);
        new ConfidenceSampler().sample(canvas, denoiser.newPass(batch), new CosineSchedule(), new SamplingOptions(40, 0.8),
                RowRandom.shared(new RandomStreams(6).stream("sample")), StepObserver.NONE);
        return Arrays.copyOf(canvas.tokens(), batch * tokenizer.maxLength());
    }
}
