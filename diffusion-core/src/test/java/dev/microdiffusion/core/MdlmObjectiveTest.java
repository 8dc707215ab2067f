package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.internal.schedule.LinearSchedule;
import dev.microdiffusion.core.internal.training.Trainer;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.nn.Softmax;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.training.Objective;
import dev.microdiffusion.core.training.TimeDraw;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.core.training.TrainingResult;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MdlmObjectiveTest {

    static final int VOCAB = 5;
    static final int LENGTH = 4;
    static final int MASK = 4;

    private static EncodedCorpus corpus() {
        return new EncodedCorpus(List.of("a", "b", "c"), new int[] {0, 1, 2, 3, 3, 2, 1, 0, 1, 1, 3, 3}, LENGTH, 0);
    }

    /** Stratified (the default) and independent times: each the loss a hand computation of its draws gives. */
    @ParameterizedTest
    @EnumSource(TimeDraw.class)
    void theFirstStepsLossIsTheWeightedMaskedCrossEntropyComputedByHand(TimeDraw draw) {
        int batch = 6;
        long seed = 4;
        TableDenoiser d = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(2).stream("init"));
        TrainingConfig config = TrainingConfig.reference().toBuilder().steps(1).batchSize(batch)
                .objective(Objective.MDLM).timeDraw(draw).build();
        NoiseSchedule schedule = new LinearSchedule();
        // the hand computation, before training changes the weights; same streams as the trainer's
        UniformRandomProvider data = new RandomStreams(seed).stream("data");
        UniformRandomProvider masks = new RandomStreams(seed).stream("mask");
        EncodedCorpus corpus = corpus();
        int[] rows = new int[batch];
        for (int b = 0; b < batch; b++) {
            rows[b] = data.nextInt(corpus.size());
        }
        double u = draw == TimeDraw.STRATIFIED ? masks.nextDouble() : 0;
        float[] bias = d.parameters().get(0).values();
        float[] emb = d.parameters().get(1).values();
        float[] time = d.parameters().get(2).values();
        double expected = 0;
        int maskedSeen = 0;
        for (int b = 0; b < batch; b++) {
            double share = draw == TimeDraw.STRATIFIED ? (u + (double) b / batch) % 1.0 : masks.nextDouble();
            double t = 1e-3 + (1 - 1e-3) * share;
            int[] noisy = new int[LENGTH];
            for (int l = 0; l < LENGTH; l++) {
                noisy[l] = masks.nextDouble() < t ? MASK : corpus.ids()[rows[b] * LENGTH + l];
            }
            float tf = (float) t;
            for (int l = 0; l < LENGTH; l++) {
                if (noisy[l] != MASK) {
                    continue;
                }
                maskedSeen++;
                // softmax over the four real tokens only (SUBS)
                double[] z = new double[VOCAB - 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < VOCAB - 1; v++) {
                    z[v] = bias[l * VOCAB + v] + emb[noisy[l] * VOCAB + v] + tf * time[v];
                    max = Math.max(max, z[v]);
                }
                double sum = 0;
                for (double zv : z) {
                    sum += Math.exp(zv - max);
                }
                int target = corpus.ids()[rows[b] * LENGTH + l];
                double ce = Math.log(sum) - (z[target] - max);
                expected += (1.0 / t) * ce; // linear: rate′/rate = 1/t
            }
        }
        expected /= batch * LENGTH;
        assertTrue(maskedSeen > 0, "the check needs some masked positions");
        TrainingResult result = new Trainer(d, schedule, MASK, config).train(corpus, new RandomStreams(seed),
                TrainingListener.NONE);
        assertEquals(expected, result.losses()[0], 1e-5 * expected);
    }

    @Test
    void crossEntropyWithAnIdLeftOutMatchesTheSmallerSoftmaxAndItsGradient() {
        float[] logits = {0.3f, -1.2f, 2.0f, 0.7f, 5.0f};
        for (int excluded : new int[] {4, 1}) {
            float[] grad = new float[5];
            double loss = Softmax.crossEntropyExcluding(MatrixKernels.preferred(), logits, 0, 5, 2, excluded, 1f, grad);
            assertEquals(0f, grad[excluded]);
            double h = 1e-3;
            for (int i = 0; i < 5; i++) {
                if (i == excluded) {
                    continue;
                }
                float[] plus = logits.clone();
                float[] minus = logits.clone();
                plus[i] += (float) h;
                minus[i] -= (float) h;
                double numeric = (Softmax.crossEntropyExcluding(MatrixKernels.portable(), plus, 0, 5, 2, excluded, 1f,
                        new float[5]) - Softmax.crossEntropyExcluding(MatrixKernels.portable(), minus, 0, 5, 2, excluded,
                        1f, new float[5])) / (2 * h);
                assertEquals(numeric, grad[i], 1e-3, "gradient " + i + " with " + excluded + " left out");
            }
            double s = 0;
            for (int i = 0; i < 5; i++) {
                s += i == excluded ? 0 : Math.exp(logits[i]);
            }
            assertEquals(Math.log(s) - logits[2], loss, 1e-6);
        }
    }

    @Test
    void mdlmTrainingLowersTheLossAndIsReproducible() {
        TrainingConfig config = TrainingConfig.reference().toBuilder().steps(400).batchSize(16).learningRate(0.05)
                .objective(Objective.MDLM).build();
        TableDenoiser a = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(1).stream("init"));
        TableDenoiser b = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(1).stream("init"));
        TrainingResult ra = new Trainer(a, new LinearSchedule(), MASK, config).train(corpus(), new RandomStreams(3),
                TrainingListener.NONE);
        TrainingResult rb = new Trainer(b, new LinearSchedule(), MASK, config, 2).train(corpus(), new RandomStreams(3),
                TrainingListener.NONE);
        assertEquals(ra.meanLossOfLast(400), rb.meanLossOfLast(400), 0, "1 and 2 threads agree bit for bit");
        double first = 0;
        for (int i = 0; i < 50; i++) {
            first += ra.losses()[i] / 50;
        }
        assertTrue(ra.meanLossOfLast(50) < 0.7 * first, "loss " + first + " → " + ra.meanLossOfLast(50));
    }
}
