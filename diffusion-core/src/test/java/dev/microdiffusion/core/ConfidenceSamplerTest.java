package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.internal.sampling.ConfidenceSampler;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.nn.Softmax;
import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.RandomStreams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

class ConfidenceSamplerTest {

    static final int VOCAB = 7;
    static final int PAD = 5;
    static final int MASK = 6;
    static final int LENGTH = 12;
    static final int STEPS = 40;

    private final NoiseSchedule schedule = new CosineSchedule();

    /** A denoiser that never favours MASK, so every reveal lands a real token. */
    private static TableDenoiser denoiser(long seed) {
        TableDenoiser d = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(seed).stream("init"));
        float[] bias = d.parameters().get(0).values();
        for (int l = 0; l < LENGTH; l++) {
            bias[l * VOCAB + MASK] = -1e4f;
        }
        return d;
    }

    private int[] run(long seed, int rows, int[] template, List<int[]> history) {
        TableDenoiser d = denoiser(3);
        Canvas canvas = new Canvas(rows, LENGTH, VOCAB, PAD, MASK);
        if (template == null) {
            canvas.reset(rows);
        } else {
            canvas.reset(rows, template);
        }
        UniformRandomProvider random = new RandomStreams(seed).stream("sample");
        new ConfidenceSampler().sample(canvas, d.newPass(rows), schedule, new SamplingOptions(STEPS, 0.8), RowRandom.shared(random),
                (step, steps, c) -> history.add(Arrays.copyOf(c.tokens(), c.rows() * c.length())));
        return Arrays.copyOf(canvas.tokens(), rows * LENGTH);
    }

    @Test
    void revealCountsFollowTheFormulaAndRevealedTokensNeverChange() {
        List<int[]> history = new ArrayList<>();
        int rows = 5;
        int[] result = run(11, rows, null, history);
        int[] previous = new int[rows * LENGTH];
        Arrays.fill(previous, MASK);
        int k = STEPS;
        for (int[] canvas : history) {
            double keepFraction = k > 1 ? schedule.rate(k - 1, STEPS) / schedule.rate(k, STEPS) : 0;
            for (int r = 0; r < rows; r++) {
                int before = 0;
                int after = 0;
                for (int i = r * LENGTH; i < (r + 1) * LENGTH; i++) {
                    before += previous[i] == MASK ? 1 : 0;
                    after += canvas[i] == MASK ? 1 : 0;
                    if (previous[i] != MASK) {
                        assertEquals(previous[i], canvas[i], "a revealed token changed at step " + k);
                    }
                }
                assertEquals((int) Math.min(Math.floor(before * keepFraction), before), after,
                        "masked count after step " + k + " in row " + r);
            }
            previous = canvas;
            k--;
        }
        // from all-masked the floor reveals one position per step, so 12 steps complete a row of 12
        assertEquals(LENGTH, history.size(), "the model is not called once nothing is masked");
        for (int id : result) {
            assertNotEquals(MASK, id);
        }
    }

    @Test
    void fixedPositionsAreNeverChanged() {
        int[] template = new int[LENGTH];
        Arrays.fill(template, MASK);
        template[0] = 2;
        template[4] = 0;
        template[11] = PAD;
        int[] result = run(5, 4, template, new ArrayList<>());
        for (int r = 0; r < 4; r++) {
            assertEquals(2, result[r * LENGTH]);
            assertEquals(0, result[r * LENGTH + 4]);
            assertEquals(PAD, result[r * LENGTH + 11]);
        }
        assertTrue(Arrays.stream(result).noneMatch(id -> id == MASK));
    }

    @Test
    void theSameSeedGivesTheSameTokens() {
        assertArrayEquals(run(42, 8, null, new ArrayList<>()), run(42, 8, null, new ArrayList<>()));
        assertNotEquals(Arrays.toString(run(42, 8, null, new ArrayList<>())),
                Arrays.toString(run(43, 8, null, new ArrayList<>())));
    }

    @Test
    void theFirstRevealIsTheMostConfidentPosition() {
        TableDenoiser d = denoiser(9);
        Canvas canvas = new Canvas(1, LENGTH, VOCAB, PAD, MASK).reset(1);
        float[] logits = new float[LENGTH * VOCAB];
        d.newPass(1).forward(canvas.tokens(), new float[] {1f}, 1, logits);
        double[] p = new double[VOCAB];
        int mostConfident = 0;
        double best = -1;
        for (int l = 0; l < LENGTH; l++) {
            double confidence = Softmax.probabilities(logits, l * VOCAB, VOCAB, 1.0, p);
            if (confidence > best) {
                best = confidence;
                mostConfident = l;
            }
        }
        List<int[]> history = new ArrayList<>();
        new ConfidenceSampler().sample(canvas, d.newPass(1), schedule, new SamplingOptions(STEPS, 1.0),
                RowRandom.shared(new RandomStreams(1).stream("s")), (step, steps, c) -> history.add(c.tokens().clone()));
        for (int l = 0; l < LENGTH; l++) {
            assertEquals(l != mostConfident, history.get(0)[l] == MASK, "position " + l + " after the first step");
        }
    }

    @Test
    void rowsWithoutAMaskedPositionAreNotFedToTheModel() {
        TableDenoiser d = denoiser(4);
        List<Integer> batches = new ArrayList<>();
        Denoiser.Pass inner = d.newPass(3);
        Denoiser.Pass counting = new Denoiser.Pass() {
            @Override
            public int maxBatch() {
                return inner.maxBatch();
            }

            @Override
            public void forward(int[] tokens, float[] times, int batch, float[] logits) {
                batches.add(batch);
                inner.forward(tokens, times, batch, logits);
            }

            @Override
            public void backward(float[] dLogits, Gradients gradients) {
                throw new UnsupportedOperationException();
            }
        };
        // rows 0 and 2 complete, row 1 to generate, from a template with 3 masked positions
        Canvas canvas = new Canvas(3, LENGTH, VOCAB, PAD, MASK).reset(3);
        int[] tokens = canvas.tokens();
        Arrays.fill(tokens, 0, LENGTH, 1);
        Arrays.fill(tokens, 2 * LENGTH, 3 * LENGTH, 2);
        Arrays.fill(tokens, LENGTH, 2 * LENGTH, PAD);
        tokens[LENGTH] = MASK;
        tokens[LENGTH + 1] = MASK;
        tokens[LENGTH + 5] = MASK;
        new ConfidenceSampler().sample(canvas, counting, schedule, new SamplingOptions(STEPS, 0.8),
                RowRandom.shared(new RandomStreams(8).stream("s")), StepObserver.NONE);
        assertEquals(List.of(1, 1, 1), batches, "one call per reveal, on the one row with masks");

        Canvas alone = new Canvas(1, LENGTH, VOCAB, PAD, MASK).reset(1, Arrays.copyOfRange(templateRow(), 0, LENGTH));
        new ConfidenceSampler().sample(alone, d.newPass(1), schedule, new SamplingOptions(STEPS, 0.8),
                RowRandom.shared(new RandomStreams(8).stream("s")), StepObserver.NONE);
        assertArrayEquals(Arrays.copyOf(alone.tokens(), LENGTH), Arrays.copyOfRange(canvas.tokens(), LENGTH, 2 * LENGTH));
    }

    private static int[] templateRow() {
        int[] row = new int[LENGTH];
        Arrays.fill(row, PAD);
        row[0] = MASK;
        row[1] = MASK;
        row[5] = MASK;
        return row;
    }
}
