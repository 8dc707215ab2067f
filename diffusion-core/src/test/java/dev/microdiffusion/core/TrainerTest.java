package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.internal.training.Trainer;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.training.ClipPolicy;
import dev.microdiffusion.core.training.LearningRatePolicy;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingDivergedException;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.core.training.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {

    static final int VOCAB = 5;
    static final int LENGTH = 4;
    static final int MASK = 4;

    /** Rows "0 1 2 3" and "3 2 1 0": enough structure for the loss to fall well below uniform. */
    private static EncodedCorpus corpus() {
        return new EncodedCorpus(List.of("a", "b"), new int[] {0, 1, 2, 3, 3, 2, 1, 0}, LENGTH, 0);
    }

    private static TrainingResult train(TableDenoiser d, TrainingConfig config, long seed, TrainingListener listener) {
        return new Trainer(d, new CosineSchedule(), MASK, config).train(corpus(), new RandomStreams(seed), listener);
    }

    @Test
    void theLossFallsAndTheListenerSeesEveryStep() {
        TableDenoiser d = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(1).stream("init"));
        List<Double> times = new ArrayList<>();
        TrainingConfig config = TrainingConfig.reference().toBuilder().steps(600).batchSize(16).learningRate(0.05).build();
        TrainingResult result = train(d, config, 1, (step, steps, loss, t) -> {
            assertEquals(times.size(), step);
            assertEquals(600, steps);
            times.add(t);
        });
        assertEquals(600, times.size());
        assertTrue(times.stream().allMatch(t -> t > 0 && t <= 1 && Math.abs(t * 40 - Math.round(t * 40)) < 1e-9));
        double first = result.meanLossOfLast(600);
        double last = result.meanLossOfLast(100);
        assertTrue(last < 0.6 * Math.log(VOCAB), "loss should fall well below uniform, was " + last);
        assertTrue(last < first);
    }

    @Test
    void theCosinePolicyWarmsUpThenFollowsHalfACosineToItsFloor() {
        TrainingConfig c = TrainingConfig.reference().toBuilder().steps(1000).warmupSteps(100).learningRate(1.0)
                .minLearningRateFraction(0.1).policy(LearningRatePolicy.WARMUP_COSINE_DECAY)
                .build();
        assertEquals(0.01, c.learningRateAt(0), 1e-12);
        assertEquals(1.0, c.learningRateAt(99), 1e-12);
        assertEquals(1.0, c.learningRateAt(100), 1e-12);
        assertEquals(0.55, c.learningRateAt(550), 1e-12, "half way down the cosine: floor + (1 − floor)/2");
        assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 899 / 900)), c.learningRateAt(999), 1e-12);
    }

    @Test
    void theWeightAverageFollowsItsFormulaAndNeverFeedsBack() {
        TrainingConfig plain = TrainingConfig.reference().toBuilder().steps(6).batchSize(8).learningRate(0.05).build();
        TrainingConfig averaged = plain.toBuilder().emaDecay(0.9).build();
        // the raw trajectory, step by step, from a run without an average
        TableDenoiser raw = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(5).stream("init"));
        List<float[][]> after = new ArrayList<>();
        float[][] start = snapshot(raw);
        train(raw, plain, 5, (step, steps, loss, t) -> after.add(snapshot(raw)));
        // ā₀ = w₀; ā ← d·ā + (1 − d)·w with d = min(0.9, (1 + s)/(10 + s)) after step s
        float[][] expected = start;
        for (int s = 0; s < 6; s++) {
            float d = (float) Math.min(0.9, (1.0 + s) / (10.0 + s));
            for (int p = 0; p < expected.length; p++) {
                for (int i = 0; i < expected[p].length; i++) {
                    expected[p][i] = d * expected[p][i] + (1 - d) * after.get(s)[p][i];
                }
            }
        }
        TableDenoiser d = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(5).stream("init"));
        TrainingResult result = train(d, averaged, 5, TrainingListener.NONE);
        for (int p = 0; p < expected.length; p++) {
            assertArrayEquals(expected[p], d.parameters().get(p).values(), 1e-6f, "after the run, the average");
        }
        assertEquals(6, result.losses().length);
    }

    private static float[][] snapshot(TableDenoiser d) {
        float[][] copy = new float[d.parameters().size()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = d.parameters().get(i).values().clone();
        }
        return copy;
    }

    @Test
    void theSameSeedGivesIdenticalWeights() {
        TrainingConfig config = TrainingConfig.reference().toBuilder().steps(50).batchSize(8).build();
        TableDenoiser a = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(7).stream("init"));
        TableDenoiser b = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(7).stream("init"));
        train(a, config, 7, TrainingListener.NONE);
        train(b, config, 7, TrainingListener.NONE);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(a.parameters().get(i).values(), b.parameters().get(i).values());
        }
    }

    @Test
    void aNonFiniteLossStopsTrainingWithAClearError() {
        TableDenoiser d = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(1).stream("init"));
        d.scale = Float.POSITIVE_INFINITY;
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> train(d, TrainingConfig.reference().withSteps(10), 1, TrainingListener.NONE));
        assertEquals(0, e.step());
        assertTrue(e.getMessage().contains("diverged at step 0"), e.getMessage());
    }

    @Test
    void clippingBoundsEveryUpdateOfTheClippedParameters() {
        // with huge gradients and Adam's first step, |Δw| = lr for any clipped or unclipped gradient; so check the
        // gradients themselves: after training one step with a large scale they are within ±1 only where clipped
        TableDenoiser d = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(1).stream("init"));
        d.scale = 1000f;
        train(d, TrainingConfig.reference().toBuilder().steps(1).clip(ClipPolicy.WEIGHTS).build(), 1, TrainingListener.NONE);
        float maxTime = 0;
        for (float g : d.parameters().get(2).gradient()) {
            maxTime = Math.max(maxTime, Math.abs(g));
        }
        float maxBias = 0;
        for (float g : d.parameters().get(0).gradient()) {
            maxBias = Math.max(maxBias, Math.abs(g));
        }
        assertTrue(maxTime <= 1f, "WEIGHT gradients are clipped: " + maxTime);
        assertTrue(maxBias > 1f, "BIAS gradients are not clipped under WEIGHTS: " + maxBias);
    }

    @Test
    void rejectsACorpusOfTheWrongLength() {
        TableDenoiser d = new TableDenoiser(VOCAB, 3, new RandomStreams(1).stream("init"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(d, new CosineSchedule(), MASK, TrainingConfig.reference()).train(corpus(),
                        new RandomStreams(1), TrainingListener.NONE));
        assertTrue(e.getMessage().contains("4 tokens"), e.getMessage());
    }
}
