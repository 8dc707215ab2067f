package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.internal.sampling.SamplerWorkspace;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.internal.schedule.LinearSchedule;
import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;
import dev.microdiffusion.core.sampling.Template;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.SamplerProvider;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Invariants every sampler keeps, and each one's own rule. */
class SamplersTest {

    static final int VOCAB = 7;
    static final int PAD = 5;
    static final int MASK = 6;
    static final int LENGTH = 12;
    static final String[] ALL = {"confidence", "ancestral", "remask-lowconf", "remask-random", "threshold", "blocks", "first-hitting", "remdm"};

    /** A table denoiser whose MASK logit is large: a sampler that let MASK through would emit it often. */
    static TableDenoiser maskLoving() {
        TableDenoiser d = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(3).stream("init"));
        float[] bias = d.parameters().get(0).values();
        for (int l = 0; l < LENGTH; l++) {
            bias[l * VOCAB + MASK] = 3f;
        }
        return d;
    }

    /** Counts the model calls of a pass. */
    static final class CountingPass implements Denoiser.Pass {
        final Denoiser.Pass inner;
        int calls;
        int rows;
        final List<Integer> batches = new ArrayList<>();

        CountingPass(Denoiser.Pass inner) {
            this.inner = inner;
        }

        @Override
        public int maxBatch() {
            return inner.maxBatch();
        }

        @Override
        public void forward(int[] tokens, float[] times, int batch, float[] logits) {
            calls++;
            rows += batch;
            batches.add(batch);
            inner.forward(tokens, times, batch, logits);
        }

        @Override
        public void backward(float[] dLogits, Gradients gradients) {
            inner.backward(dLogits, gradients);
        }
    }

    record Run(int[] result, List<int[]> history, int calls) {
    }

    static Run run(String sampler, SamplingOptions options, NoiseSchedule schedule, int rows, int[] template, long seed) {
        return run(sampler, Map.of(), options, schedule, rows, template, seed);
    }

    static Run run(String sampler, Map<String, String> settings, SamplingOptions options,
            NoiseSchedule schedule, int rows, int[] template, long seed) {
        Canvas canvas = new Canvas(rows, LENGTH, VOCAB, PAD, MASK);
        if (template == null) {
            canvas.reset(rows);
        } else {
            canvas.reset(rows, template);
        }
        List<int[]> history = new ArrayList<>();
        CountingPass pass = new CountingPass(maskLoving().newPass(rows));
        Registry.find(SamplerProvider.class, sampler).create(settings).sample(canvas, pass, schedule, options,
                RowRandom.shared(new RandomStreams(seed).stream("sample")),
                (step, steps, c) -> history.add(Arrays.copyOf(c.tokens(), c.rows() * c.length())));
        return new Run(Arrays.copyOf(canvas.tokens(), rows * LENGTH), history, pass.calls);
    }

    static int[] template() {
        int[] t = new int[LENGTH];
        Arrays.fill(t, MASK);
        t[0] = 2;
        t[3] = 4;
        t[11] = PAD;
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"confidence", "ancestral", "remask-lowconf", "remask-random", "threshold", "blocks", "first-hitting", "remdm"})
    void fixedTokensStayFixedNoMaskIsEmittedAndTheCanvasCompletes(String name) {
        int rows = 6;
        int[] template = template();
        Run run = run(name, new SamplingOptions(20, 1.0), new CosineSchedule(), rows, template, 5);
        // ReMDM may mask a revealed token again (by design); template positions still never change
        boolean revises = name.equals("remdm");
        int[] previous = null;
        for (int[] step : run.history()) {
            for (int i = 0; i < step.length; i++) {
                if (template[i % LENGTH] != MASK) {
                    assertEquals(template[i % LENGTH], step[i], name + ": a fixed position changed");
                }
                if (!revises && previous != null && previous[i] != MASK) {
                    assertEquals(previous[i], step[i], name + ": a revealed token changed");
                }
            }
            previous = step;
        }
        for (int id : run.result()) {
            assertNotEquals(MASK, id, name + " emitted MASK");
        }
        // the first-hitting sampler takes one call per open position, off any grid
        int limit = name.equals("first-hitting") ? LENGTH : 20;
        assertTrue(run.history().size() <= limit, name + " took more steps than asked");
        assertArrayEquals(run.result(), run(name, new SamplingOptions(20, 1.0), new CosineSchedule(), rows, template, 5)
                .result(), name + ": same seed, same canvas");
        assertTrue(!Arrays.equals(run.result(),
                run(name, new SamplingOptions(20, 1.0), new CosineSchedule(), rows, template, 6).result()),
                name + ": another seed should give another canvas");
    }

    /**
     * A context-free model (logits = a bias per position) whose PAD has probability 0.251 at τ = 1 and 0.153 at τ = 0.3
     * when tempered like the characters: with lengths kept, every sampler's share of PAD stays at the τ = 1 figure.
     */
    @ParameterizedTest
    @ValueSource(strings = {"confidence", "ancestral", "remask-lowconf", "remask-random", "threshold", "blocks", "first-hitting", "remdm"})
    void everySamplerKeepsLengthsAtALowTemperature(String name) {
        TableDenoiser model = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(3).stream("init"));
        Arrays.fill(model.parameters().get(1).values(), 0f);
        Arrays.fill(model.parameters().get(2).values(), 0f);
        float[] bias = model.parameters().get(0).values();
        float[] row = {2.0f, 1.0f, 0.5f, 0.0f, -0.5f, 1.5f, 0f};
        for (int l = 0; l < LENGTH; l++) {
            System.arraycopy(row, 0, bias, l * VOCAB, VOCAB);
        }
        double kept = padShare(name, model, true);
        double tempered = padShare(name, model, false);
        // 64 rows × 12 positions: a standard error of 0.016
        assertEquals(0.251, kept, 0.06, name + " with lengths kept");
        assertEquals(0.153, tempered, 0.06, name + " with PAD tempered");
    }

    private static double padShare(String sampler, TableDenoiser model, boolean keepLengths) {
        int rows = 64;
        Canvas canvas = new Canvas(rows, LENGTH, VOCAB, PAD, MASK).reset(rows);
        SamplingOptions options = new SamplingOptions(20, 0.3).toBuilder().keepLengths(keepLengths).build();
        Registry.find(SamplerProvider.class, sampler).create().sample(canvas, model.newPass(rows), new CosineSchedule(),
                options, RowRandom.shared(new RandomStreams(11).stream("s")), StepObserver.NONE);
        int pads = 0;
        for (int i = 0; i < rows * LENGTH; i++) {
            pads += canvas.tokens()[i] == PAD ? 1 : 0;
        }
        return pads / (double) (rows * LENGTH);
    }

    @Test
    void theReferenceOptionsLetMaskBeDrawn() {
        // with MASK allowed, a drawn MASK leaves the position masked; the sampler still ends at k = 1 with draws
        SamplingOptions reference = SamplingOptions.reference(20, 1.0);
        Run run = run("confidence", reference, new CosineSchedule(), 8, null, 5);
        Run noMask = run("confidence", new SamplingOptions(20, 1.0), new CosineSchedule(), 8, null, 5);
        assertTrue(run.calls() > noMask.calls(), "drawn MASKs keep positions open for more steps");
    }

    @Test
    void remaskingKeepsTheSchedulesCountMasked() {
        int steps = 30;
        NoiseSchedule schedule = new CosineSchedule();
        for (String name : new String[] {"remask-lowconf", "remask-random"}) {
            Run run = run(name, new SamplingOptions(steps, 1.0), schedule, 4, null, 9);
            int[] previous = new int[4 * LENGTH];
            Arrays.fill(previous, MASK);
            int k = steps;
            int revealSteps = 0;
            for (int[] canvas : run.history()) {
                double share = k > 1 ? schedule.rate(k - 1, steps) / schedule.rate(k, steps) : 0;
                boolean revealed = false;
                for (int r = 0; r < 4; r++) {
                    int before = count(previous, r, MASK);
                    int after = count(canvas, r, MASK);
                    assertEquals(Math.round(before * share), after, name + " masked count after step " + k);
                    revealed |= after < before;
                }
                revealSteps += revealed ? 1 : 0;
                previous = canvas;
                k--;
            }
            assertEquals(revealSteps, run.calls(), name + " calls the model only at steps that reveal something");
            assertTrue(run.calls() < steps, name + " skips steps with nothing to reveal");
        }
    }

    @Test
    void thresholdRevealsEverySureEnoughPositionAndAtLeastOne() {
        SamplingOptions never = new SamplingOptions(40, 1.0);
        Run one = run("threshold", Map.of("threshold", "1.0"), never, new CosineSchedule(), 3, null, 1);
        assertEquals(LENGTH, one.history().size(), "a threshold never exceeded reveals one position per step");
        Run all = run("threshold", Map.of("threshold", "0"), never, new CosineSchedule(), 3, null, 1);
        assertEquals(1, all.history().size(), "a threshold always exceeded reveals everything at once");
        Run few = run("threshold", Map.of("threshold", "1.0"), never.toBuilder().steps(4).build(),
                new CosineSchedule(), 3, null, 1);
        assertEquals(4, few.history().size(), "the last step reveals what is left");
        for (int id : few.result()) {
            assertNotEquals(MASK, id);
        }
    }

    @Test
    void blocksFillLeftToRight() {
        SamplingOptions options = new SamplingOptions(24, 1.0);
        Run run = run("blocks", Map.of("length", "4", "inner", "confidence"), options, new CosineSchedule(),
                3, null, 2);
        for (int[] canvas : run.history()) {
            for (int r = 0; r < 3; r++) {
                boolean maskSeen = false;
                for (int b = 0; b < 3; b++) {
                    boolean blockOpen = false;
                    boolean blockRevealed = false;
                    for (int i = b * 4; i < b * 4 + 4; i++) {
                        blockOpen |= canvas[r * LENGTH + i] == MASK;
                        blockRevealed |= canvas[r * LENGTH + i] != MASK;
                    }
                    assertTrue(!(maskSeen && blockRevealed), "a block was revealed before the one on its left was done");
                    maskSeen |= blockOpen;
                }
            }
        }
        SamplerProvider blocks = Registry.find(SamplerProvider.class, "blocks");
        assertThrows(IllegalArgumentException.class, () -> blocks.create(Map.of("inner", "blocks")));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> blocks.create(Map.of("inner", "nope")));
        assertTrue(unknown.getMessage().contains("no SamplerProvider named 'nope'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> blocks.create(Map.of("length", "0")));
        assertThrows(IllegalArgumentException.class, () -> blocks.create(Map.of("lenght", "3")));
        // the inner sampler's own settings travel under inner.
        Run inner = run("blocks", Map.of("inner", "threshold", "inner.threshold", "0"), options,
                new CosineSchedule(), 1, null, 2);
        assertEquals(3, inner.history().size(), "a zero threshold fills each of the three blocks in one step");
    }

    /**
     * Rows with the same tokens go to the model once; every row still draws from its own logits: each row's draws and
     * confidences equal those of the row evaluated alone, with and without reuse.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void identicalRowsShareOneRowOfTheCallAndEachRowKeepsItsOwnLogits(boolean reuse) {
        int rows = 8;
        Canvas canvas = new Canvas(rows, LENGTH, VOCAB, PAD, MASK).reset(rows);
        int[] tokens = canvas.tokens();
        // rows 0, 2, 5 alike; 1 and 3 alike; 4, 6, 7 each their own: five distinct rows
        int[] pattern = {0, 1, 0, 1, 2, 0, 3, 4};
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < LENGTH; i++) {
                tokens[r * LENGTH + i] = (i + pattern[r]) % 3 == 0 ? (i + 2 * pattern[r]) % PAD : MASK;
            }
        }
        Denoiser model = maskLoving();
        CountingPass pass = new CountingPass(model.newPass(rows));
        SamplerWorkspace shared = new SamplerWorkspace();
        shared.begin(canvas);
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7};
        shared.evaluate(canvas, pass, 0.5, all, rows, reuse);
        assertEquals(List.of(5), pass.batches, "one call of the five distinct rows");
        assertEquals(5, shared.modelRows());
        SamplingOptions options = new SamplingOptions(10, 1.0);
        for (int r = 0; r < rows; r++) {
            SamplerWorkspace alone = new SamplerWorkspace();
            alone.begin(canvas);
            alone.evaluate(canvas, model.newPass(1), 0.5, new int[] {r}, 1, reuse);
            for (int i = 0; i < LENGTH; i++) {
                long seed = 100L * r + i;
                int expected = alone.draw(canvas, r, i, options, new RandomStreams(seed).stream("d"));
                double confidence = alone.lastConfidence();
                assertEquals(expected, shared.draw(canvas, r, i, options, new RandomStreams(seed).stream("d")),
                        "row " + r + ", position " + i);
                assertEquals(confidence, shared.lastConfidence(), "row " + r + ", position " + i);
            }
        }
    }

    /** Every row starts all MASK: whatever the sampler, its first model call holds one row. */
    @ParameterizedTest
    @ValueSource(strings = {"confidence", "ancestral", "remask-lowconf", "remask-random", "threshold", "blocks", "first-hitting", "remdm"})
    void theFirstCallOfARunSendsOneRow(String name) {
        int rows = 16;
        CountingPass pass = new CountingPass(maskLoving().newPass(rows));
        Canvas canvas = new Canvas(rows, LENGTH, VOCAB, PAD, MASK).reset(rows);
        Registry.find(SamplerProvider.class, name).create().sample(canvas, pass, new CosineSchedule(),
                new SamplingOptions(20, 1.0), RowRandom.shared(new RandomStreams(2).stream("s")), StepObserver.NONE);
        assertEquals(1, pass.batches.get(0), name);
        assertTrue(pass.batches.stream().anyMatch(b -> b > 1), name + ": later calls hold the rows that differ");
        assertEquals(0, canvas.maskedCount());
    }

    @Test
    void ancestralRevealsAtTheSchedulesRateAndReusesUnchangedRows() {
        // linear schedule, T = 4: the first step reveals each position with probability (1 − 3/4) = 1/4
        int rows = 500;
        Run run = run("ancestral", new SamplingOptions(4, 1.0), new LinearSchedule(), rows, null, 4);
        int revealed = rows * LENGTH - count(run.history().get(0), -1, MASK);
        double mean = rows * LENGTH * 0.25;
        double sd = Math.sqrt(rows * LENGTH * 0.25 * 0.75);
        assertEquals(mean, revealed, 5 * sd, "first-step reveals");
        // with many steps most steps reveal nothing in a row: its logits are reused, the model not called for it
        CountingPass pass = new CountingPass(maskLoving().newPass(2));
        Canvas canvas = new Canvas(2, LENGTH, VOCAB, PAD, MASK).reset(2);
        Registry.find(SamplerProvider.class, "ancestral").create().sample(canvas, pass, new LinearSchedule(),
                new SamplingOptions(200, 1.0), RowRandom.shared(new RandomStreams(1).stream("s")), StepObserver.NONE);
        assertTrue(pass.rows <= 2 * LENGTH, "rows sent to the model: " + pass.rows + " (at most one per reveal)");
        assertEquals(0, canvas.maskedCount());
    }

    @Test
    void anExactLengthForbidsPadBeforeIt() {
        Template exact = Template.pattern(new TinyTokenizer("abcde", LENGTH), "_____");
        TableDenoiser d = maskLoving();
        float[] bias = d.parameters().get(0).values();
        for (int l = 0; l < LENGTH; l++) {
            bias[l * VOCAB + PAD] = 6f;
        }
        Canvas canvas = new Canvas(4, LENGTH, VOCAB, PAD, MASK);
        for (String name : ALL) {
            canvas.reset(4, exact);
            Registry.find(SamplerProvider.class, name).create().sample(canvas, d.newPass(4), new CosineSchedule(),
                    new SamplingOptions(20, 1.0), RowRandom.shared(new RandomStreams(1).stream("s")), StepObserver.NONE);
            for (int r = 0; r < 4; r++) {
                for (int i = 0; i < 5; i++) {
                    assertNotEquals(PAD, canvas.tokens()[r * LENGTH + i], name + " put PAD inside the exact length");
                }
            }
        }
    }

    @Test
    void decodingEndsAtTheFirstPadOrJoinsLikeTheReference() {
        Canvas canvas = new Canvas(1, 5, 4, 2, 3);
        canvas.reset(1, new int[] {0, 1, 2, 0, 2});
        Tokenizer t = new TinyTokenizer("ab", 5);
        assertEquals(List.of("ab"), canvas.decode(t, true));
        assertEquals(List.of("aba"), canvas.decode(t, false));
    }

    private static int count(int[] canvas, int row, int id) {
        int from = row < 0 ? 0 : row * LENGTH;
        int to = row < 0 ? canvas.length : from + LENGTH;
        int n = 0;
        for (int i = from; i < to; i++) {
            n += canvas[i] == id ? 1 : 0;
        }
        return n;
    }

    /**
     * A set in a template holds for every sampler, even against a model that prefers a symbol the set leaves out:
     * that symbol is never drawn there (it is out of the distribution, not replaced afterwards).
     */
    @ParameterizedTest
    @ValueSource(strings = {"confidence", "ancestral", "remask-lowconf", "remask-random", "threshold", "blocks", "first-hitting", "remdm"})
    void everySamplerDrawsASetPositionFromItsSet(String name) {
        Tokenizer tokenizer = new TinyTokenizer("abcde", LENGTH);
        Template template = Template.pattern(tokenizer, "[bc][^a]_d[ae]");
        TableDenoiser d = new TableDenoiser(VOCAB, LENGTH, new RandomStreams(4).stream("init"));
        float[] bias = d.parameters().get(0).values();
        for (int l = 0; l < LENGTH; l++) {
            bias[l * VOCAB] = 4f; // the model loves 'a' everywhere
        }
        int rows = 8;
        for (long seed = 1; seed <= 5; seed++) {
            Canvas canvas = Canvas.of(tokenizer, rows).reset(rows, template);
            Registry.find(SamplerProvider.class, name).create().sample(canvas, d.newPass(rows), new CosineSchedule(),
                    new SamplingOptions(20, 1.5), RowRandom.shared(new RandomStreams(seed).stream("sample")), StepObserver.NONE);
            for (String text : canvas.decode(tokenizer, true)) {
                assertEquals(5, text.length(), name + ": " + text);
                assertTrue("bc".indexOf(text.charAt(0)) >= 0, name + " broke [bc]: " + text);
                assertTrue(text.charAt(1) != 'a', name + " broke [^a]: " + text);
                assertEquals('d', text.charAt(3), name + ": " + text);
                assertTrue("ae".indexOf(text.charAt(4)) >= 0, name + " broke [ae]: " + text);
            }
        }
    }
}
