package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.evaluation.NelboEvaluator;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.internal.schedule.LinearSchedule;
import dev.microdiffusion.core.internal.schedule.PolynomialSchedule;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class NelboEvaluatorTest {

    private final Tokenizer tokenizer = new TinyTokenizer("abc", 4);

    /** A model whose logits are bias[l, v] only: p(x_l) does not depend on the input or t. */
    private TableDenoiser inputBlind() {
        TableDenoiser d = new TableDenoiser(5, 4, new RandomStreams(8).stream("init"));
        Arrays.fill(d.parameters().get(1).values(), 0f);
        Arrays.fill(d.parameters().get(2).values(), 0f);
        return d;
    }

    /** Σ_l −log p_l(x_l), MASK left out of each softmax. */
    private static double exactNll(TableDenoiser d, int[] row) {
        float[] bias = d.parameters().get(0).values();
        double nll = 0;
        for (int l = 0; l < row.length; l++) {
            double sum = 0;
            for (int v = 0; v < 4; v++) {
                sum += Math.exp(bias[l * 5 + v]);
            }
            nll += Math.log(sum) - bias[l * 5 + row[l]];
        }
        return nll;
    }

    @Test
    void anInputBlindModelsBoundIsItsExactLikelihoodTimesRateOfOne() {
        // for p independent of x_t: ∫ rate′/rate · rate · NLL dt + rate(0) · NLL = rate(1) · NLL, for any schedule
        TableDenoiser d = inputBlind();
        int[] row = tokenizer.encode("ab");
        double nll = exactNll(d, row);
        EncodedCorpus data = tokenizer.encodeCorpus(Collections.nCopies(200, "ab"));
        // cosine with offset 0.5 has rate(0) = sin²(π/6) = 1/4: a quarter of the bound is then the t = 0 term
        for (NoiseSchedule schedule : List.of(new CosineSchedule(), new CosineSchedule(0.5), new LinearSchedule(),
                new PolynomialSchedule(3))) {
            DiffusionModel model = new DiffusionModel(tokenizer, d, schedule, 10);
            NelboEvaluator.Result r = new NelboEvaluator(16, 20, 2).evaluate(model, data, 3);
            assertEquals(nll * schedule.rate(1.0), r.natsPerText(), 4 * r.natsPerTextError() + 1e-9,
                    schedule.name() + ": " + r);
            assertTrue(r.natsPerTextError() < 0.05 * nll, "the error should be small: " + r);
            assertEquals(3 * 200, r.symbols(), "two characters and an end per text");
            assertEquals(r.natsPerText() * 200 / (600 * Math.log(2)), r.bitsPerChar(), 1e-12);
        }
    }

    @Test
    void deterministicForASeedWhateverTheThreads() {
        TableDenoiser d = new TableDenoiser(5, 4, new RandomStreams(8).stream("init"));
        DiffusionModel model = new DiffusionModel(tokenizer, d, new CosineSchedule(), 10);
        EncodedCorpus data = tokenizer.encodeCorpus(List.of("a", "ab", "abc", "cab", "b", "ba", "cc").stream()
                .flatMap(s -> Collections.nCopies(30, s).stream()).toList());
        NelboEvaluator.Result one = new NelboEvaluator(8, 1, 1).evaluate(model, data, 5);
        NelboEvaluator.Result two = new NelboEvaluator(8, 1, 2).evaluate(model, data, 5);
        assertEquals(one, two);
        assertTrue(one.reconstructionNats() >= 0 && one.reconstructionNats() < 0.01 * one.natsPerText(),
                "cosine's rate(0) ≈ 1.6e-4 leaves a tiny reconstruction term: " + one);
        assertTrue(!one.equals(new NelboEvaluator(8, 1, 1).evaluate(model, data, 6)));
    }

    @Test
    void splitsAreSeededAndDisjoint() {
        EncodedCorpus data = tokenizer.encodeCorpus(List.of("a", "b", "c", "ab", "ba", "ca", "cb", "bc", "ac", "abc"));
        EncodedCorpus.Split split = data.split(0.2, 1);
        assertEquals(8, split.train().size());
        assertEquals(2, split.validation().size());
        assertEquals(split.validation().texts(), data.split(0.2, 1).validation().texts());
        for (String held : split.validation().texts()) {
            assertTrue(!split.train().texts().contains(held));
        }
        assertEquals(10, data.split(0, 1).train().size());
        assertEquals(1, data.split(0.01, 1).validation().size(), "a positive fraction holds out at least one");
    }
}
