package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
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

/** The first-hitting sampler's one reveal per call and exactness; ReMDM's remasking and its η = 0 limit. */
class ExactAndRemaskingSamplersTest {

    // two positions, symbols a = 0 and b = 1, PAD = 2, MASK = 3
    private static final int A = 0;
    private static final int B = 1;
    private static final int PAD = 2;
    private static final int MASK = 3;

    /**
     * The model of a joint in which both positions hold the same symbol, a or b with probability ½ each: a position
     * copies the other once that is revealed, and is a or b evenly while it is not. A sampler that draws the two
     * positions from one call, as independent, makes "ab" half the time; the exact reverse process never does.
     */
    static final class CopyDenoiser implements Denoiser {
        private final DenoiserConfig config = new DenoiserConfig(4, 2);

        @Override
        public String name() {
            return "copy";
        }

        @Override
        public DenoiserConfig config() {
            return config;
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
                    for (int b = 0; b < batch; b++) {
                        for (int i = 0; i < 2; i++) {
                            int other = tokens[b * 2 + 1 - i];
                            int o = (b * 2 + i) * 4;
                            Arrays.fill(logits, o, o + 4, -30f);
                            if (other == A || other == B) {
                                logits[o + other] = 30f;
                            } else {
                                logits[o + A] = 0f;
                                logits[o + B] = 0f;
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

    private static int[] sample(String sampler, Map<String, String> settings, SamplingOptions options, int rows,
            long seed, List<int[]> history) {
        Canvas canvas = new Canvas(rows, 2, 4, PAD, MASK).reset(rows);
        Registry.find(SamplerProvider.class, sampler).create(settings).sample(canvas,
                new CopyDenoiser().newPass(rows), new CosineSchedule(), options, RowRandom.shared(new RandomStreams(seed).stream("s")),
                (step, steps, c) -> history.add(Arrays.copyOf(c.tokens(), rows * 2)));
        return Arrays.copyOf(canvas.tokens(), rows * 2);
    }

    @Test
    void theFirstHittingSamplerRevealsOnePositionPerCallAndSamplesTheJointExactly() {
        int rows = 400;
        List<int[]> history = new ArrayList<>();
        int[] out = sample("first-hitting", Map.of(), new SamplingOptions(1, 1.0), rows, 7, history);
        assertEquals(2, history.size(), "one call per position");
        for (int r = 0; r < rows; r++) {
            int revealed = (history.get(0)[2 * r] != MASK ? 1 : 0) + (history.get(0)[2 * r + 1] != MASK ? 1 : 0);
            assertEquals(1, revealed, "row " + r + " reveals exactly one position in the first call");
        }
        int as = 0;
        for (int r = 0; r < rows; r++) {
            assertEquals(out[2 * r], out[2 * r + 1], "row " + r + ": the exact process never mixes a and b");
            as += out[2 * r] == A ? 1 : 0;
        }
        // a or b evenly: 400 draws of ½, 5 standard deviations of 10
        assertTrue(Math.abs(as - rows / 2) < 50, as + " a's of " + rows);

        // the grid samplers at one step draw both positions from one call: mixed rows about half the time
        int[] oneStep = sample("ancestral", Map.of(), new SamplingOptions(1, 1.0), rows, 7, new ArrayList<>());
        int mixed = 0;
        for (int r = 0; r < rows; r++) {
            mixed += oneStep[2 * r] != oneStep[2 * r + 1] ? 1 : 0;
        }
        assertTrue(mixed > rows / 4, "the test's model tells the samplers apart: " + mixed + " mixed rows");
    }

    @Test
    void remdmWithoutRemaskingIsTheAncestralSamplerToTheBit() {
        SamplingOptions options = new SamplingOptions(20, 0.9);
        SamplersTest.Run ancestral = SamplersTest.run("ancestral", options, new CosineSchedule(), 8, SamplersTest.template(), 3);
        SamplersTest.Run remdm = SamplersTest.run("remdm", Map.of("eta", "0"), options, new CosineSchedule(), 8,
                SamplersTest.template(), 3);
        assertArrayEquals(ancestral.result(), remdm.result());
        assertEquals(ancestral.calls(), remdm.calls());
    }

    @Test
    void remdmMasksRevealedTokensAgainOnlyInsideItsWindowAndNeverFixedOnes() {
        int[] template = SamplersTest.template();
        List<int[]> history = SamplersTest.run("remdm", Map.of("eta", "0.5", "from", "0.6", "to", "0.2"),
                new SamplingOptions(40, 1.0), new CosineSchedule(), 8, template, 4).history();
        int remasked = 0;
        for (int s = 1; s < history.size(); s++) {
            int[] before = history.get(s - 1);
            int[] after = history.get(s);
            // the observer is told after step k = T − s (history[s] is after step 40 − s)
            double t = (40.0 - s) / 40;
            for (int i = 0; i < after.length; i++) {
                if (before[i] != SamplersTest.MASK && after[i] == SamplersTest.MASK) {
                    remasked++;
                    assertTrue(t >= 0.2 - 1e-9 && t <= 0.6 + 1e-9, "re-masked at t = " + t + ", outside the window");
                    assertEquals(SamplersTest.MASK, template[i % SamplersTest.LENGTH], "a fixed position re-masked");
                }
            }
        }
        assertTrue(remasked > 0, "η = 0.5 re-masks something");
        int[] last = history.get(history.size() - 1);
        for (int id : last) {
            assertNotEquals(SamplersTest.MASK, id, "the canvas completes");
        }
    }

    @Test
    void remdmSettingsAreChecked() {
        SamplerProvider remdm = Registry.find(SamplerProvider.class, "remdm");
        assertThrows(IllegalArgumentException.class, () -> remdm.create(Map.of("eta", "2")));
        assertThrows(IllegalArgumentException.class, () -> remdm.create(Map.of("from", "0.1", "to", "0.5")));
        assertThrows(IllegalArgumentException.class, () -> remdm.create(Map.of("window", "0.5")));
    }
}
