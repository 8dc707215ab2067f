package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.SamplerProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Classifier-free guidance, against the formula and against plain conditional sampling. */
class GuidanceTest {

    static final int VOCAB = 5;
    static final int PAD = 3;
    static final int MASK = 4;

    /** logits[b, l, v] = position[l, v] + label[row of b's label, v]; the last label row is the null label. */
    static final class LabelTable implements Denoiser {
        final float[][] byLabel;
        final int length;
        final List<Integer> batches = new ArrayList<>();

        LabelTable(int length, float[][] byLabel) {
            this.length = length;
            this.byLabel = byLabel;
        }

        @Override
        public DenoiserConfig config() {
            return new DenoiserConfig("label-table", VOCAB, length, byLabel.length - 1, Map.of());
        }

        @Override
        public List<Parameter> parameters() {
            return List.of();
        }

        @Override
        public Pass newPass(int maxBatch) {
            return new Pass() {
                @Override
                public int maxBatch() {
                    return maxBatch;
                }

                @Override
                public void forward(int[] tokens, float[] times, int batch, float[] logits) {
                    forward(tokens, times, null, batch, logits);
                }

                @Override
                public void forward(int[] tokens, float[] times, int[] labels, int batch, float[] logits) {
                    batches.add(batch);
                    for (int b = 0; b < batch; b++) {
                        int row = labels == null || labels[b] < 0 ? byLabel.length - 1 : labels[b];
                        for (int l = 0; l < length; l++) {
                            for (int v = 0; v < VOCAB; v++) {
                                logits[(b * length + l) * VOCAB + v] = byLabel[row][v] + 0.1f * l;
                            }
                        }
                    }
                }

                @Override
                public void backward(float[] dLogits, Gradients gradients) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }

    private static int[] sample(Denoiser model, int label, double guidance, int rows, String sampler, long seed) {
        Canvas canvas = new Canvas(rows, 3, VOCAB, PAD, MASK).reset(rows).setLabel(label);
        Registry.find(SamplerProvider.class, sampler).create().sample(canvas, model.newPass(2 * rows),
                new CosineSchedule(), new SamplingOptions(6, 1.0).toBuilder().guidance(guidance).build(),
                RowRandom.shared(new RandomStreams(seed).stream("s")), StepObserver.NONE);
        return Arrays.copyOf(canvas.tokens(), rows * 3);
    }

    private static final float[][] TABLE = {{2f, 0f, 0f, 0f, 0f}, {0f, 2f, 0f, 0f, 0f}, {1f, 1.2f, 0.2f, -1f, 0f}};

    @ParameterizedTest
    @ValueSource(strings = {"confidence", "ancestral", "remask-lowconf", "remask-random", "threshold", "blocks", "first-hitting", "remdm"})
    void guidanceZeroIsExactlyConditionalSamplingAndGuidanceCallsTheModelOncePerStep(String sampler) {
        LabelTable model = new LabelTable(3, TABLE);
        // the same draws as a model that only ever sees label 1: no unconditional rows at γ = 0
        LabelTable onlyOne = new LabelTable(3, new float[][] {TABLE[1], TABLE[1], TABLE[1]});
        assertArrayEquals(sample(onlyOne, -1, 0, 8, sampler, 3), sample(model, 1, 0, 8, sampler, 3));
        for (int rows : model.batches) {
            assertTrue(rows <= 8);
        }
        model.batches.clear();
        LabelTable counted = new LabelTable(3, TABLE);
        sample(counted, 1, 2.0, 8, sampler, 3);
        for (int rows : counted.batches) {
            assertEquals(0, rows % 2, "each call holds the conditional rows and their unconditional twins");
        }
        assertTrue(counted.batches.size() <= 6, "one call per step: " + counted.batches);
    }

    /** The guided distribution is softmax((1 + γ)·log p(·|label) − γ·log p(·)), drawn often enough to see it. */
    @Test
    void guidedDrawsFollowTheFormula() {
        double gamma = 1.5;
        LabelTable model = new LabelTable(1, TABLE);
        double[] expected = new double[VOCAB];
        double[] c = logSoftmax(TABLE[0]);
        double[] u = logSoftmax(TABLE[2]);
        double sum = 0;
        for (int v = 0; v < VOCAB; v++) {
            if (v != MASK) {
                expected[v] = Math.exp((1 + gamma) * c[v] - gamma * u[v]);
                sum += expected[v];
            }
        }
        int[] counts = new int[VOCAB];
        int draws = 0;
        for (long seed = 0; seed < 400; seed++) {
            Canvas canvas = new Canvas(50, 1, VOCAB, PAD, MASK).reset(50).setLabel(0);
            Registry.find(SamplerProvider.class, "confidence").create().sample(canvas, model.newPass(100),
                    new CosineSchedule(), new SamplingOptions(1, 1.0).toBuilder().guidance(gamma).build(),
                    RowRandom.shared(new RandomStreams(seed).stream("s")), StepObserver.NONE);
            for (int r = 0; r < 50; r++) {
                counts[canvas.tokens()[r]]++;
                draws++;
            }
        }
        for (int v = 0; v < VOCAB; v++) {
            double p = expected[v] / sum;
            double sd = Math.sqrt(draws * p * (1 - p));
            assertEquals(draws * p, counts[v], 5 * sd + 1, "symbol " + v + ": " + Arrays.toString(counts));
        }
        assertEquals(0, counts[MASK]);
    }

    private static double[] logSoftmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (float v : z) {
            s += Math.exp(v - max);
        }
        double lse = max + Math.log(s);
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = z[i] - lse;
        }
        return out;
    }
}
