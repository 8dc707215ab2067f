package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.internal.evaluation.NelboEvaluator;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.internal.schedule.LinearSchedule;
import dev.microdiffusion.core.internal.schedule.PolynomialSchedule;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.ArrayList;
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

    /** Every text over "abc" of one to four characters: 120 distinct texts. */
    private static List<String> allTexts() {
        List<String> texts = new ArrayList<>(List.of(""));
        List<String> all = new ArrayList<>();
        for (int length = 1; length <= 4; length++) {
            List<String> longer = new ArrayList<>();
            for (String t : texts) {
                for (char c : "abc".toCharArray()) {
                    longer.add(t + c);
                }
            }
            all.addAll(longer);
            texts = longer;
        }
        return all;
    }

    @Test
    void anInputBlindModelsBoundIsItsExactLikelihoodTimesRateOfOne() {
        // for p independent of x_t: ∫ rate′/rate · rate · NLL dt + rate(0) · NLL = rate(1) · NLL, for any schedule
        TableDenoiser d = inputBlind();
        List<String> texts = allTexts();
        EncodedCorpus data = tokenizer.encodeCorpus(texts);
        // cosine with offset 0.5 has rate(0) = sin²(π/6) = 1/4: a quarter of the bound is then the t = 0 term
        for (NoiseSchedule schedule : List.of(new CosineSchedule(), new CosineSchedule(0.5), new LinearSchedule(),
                new PolynomialSchedule(3))) {
            DiffusionModel model = new DiffusionModel(tokenizer, d, schedule, 10);
            NelboEvaluator evaluator = new NelboEvaluator(16, 20, 2);
            double[] estimates = evaluator.natsPerText(model.tokenizer(), model.denoiser(), model.schedule(), data, 3);
            // each text's estimate against its own exact value: the residuals' spread is Monte Carlo alone
            double[] residuals = new double[texts.size()];
            double mean = 0;
            double exactTotal = 0;
            for (int n = 0; n < texts.size(); n++) {
                double exact = exactNll(d, tokenizer.encode(texts.get(n))) * schedule.rate(1.0);
                exactTotal += exact;
                residuals[n] = estimates[n] - exact;
                mean += residuals[n] / texts.size();
            }
            double variance = 0;
            for (double r : residuals) {
                variance += (r - mean) * (r - mean) / (texts.size() - 1);
            }
            double error = Math.sqrt(variance / texts.size());
            assertEquals(0, mean, 4 * error + 1e-9, schedule.name() + ": mean residual");
            assertTrue(error < 0.02 * exactTotal / texts.size(), schedule.name() + ": the error should be small, "
                    + error);
            Nelbo r = evaluator.evaluate(model.tokenizer(), model.denoiser(), model.schedule(), data, 3);
            assertEquals(Arrays.stream(estimates).sum() / texts.size(), r.natsPerText(), 1e-12,
                    "the corpus figure is the mean of the texts' estimates");
            long symbols = texts.stream().mapToLong(t -> t.length() + 1).sum();
            assertEquals(symbols, r.symbols(), "the characters and an end per text");
            assertEquals(r.natsPerText() * texts.size() / (symbols * Math.log(2)), r.bitsPerChar(), 1e-12);
        }
    }

    @Test
    void aTextsEstimateDependsOnTheTextAloneNotOnItsCorpusOrPlace() {
        TableDenoiser d = new TableDenoiser(5, 4, new RandomStreams(8).stream("init"));
        DiffusionModel model = new DiffusionModel(tokenizer, d, new CosineSchedule(), 10);
        List<String> texts = allTexts();
        NelboEvaluator evaluator = new NelboEvaluator(8, 2, 2);
        double[] all = evaluator.natsPerText(model.tokenizer(), model.denoiser(), model.schedule(), tokenizer.encodeCorpus(texts), 5);
        List<String> picked = new ArrayList<>();
        for (int n = texts.size() - 1; n >= 0; n -= 7) {
            picked.add(texts.get(n));
        }
        picked.add(picked.get(0));
        double[] some = new NelboEvaluator(8, 2, 1).natsPerText(model.tokenizer(), model.denoiser(), model.schedule(), tokenizer.encodeCorpus(picked), 5);
        for (int k = 0; k < picked.size(); k++) {
            assertEquals(all[texts.indexOf(picked.get(k))], some[k], 0.0, picked.get(k));
        }
        double[] otherSeed = evaluator.natsPerText(model.tokenizer(), model.denoiser(), model.schedule(), tokenizer.encodeCorpus(texts), 6);
        assertTrue(!Arrays.equals(all, otherSeed), "another seed draws other masks");
    }

    @Test
    void deterministicForASeedWhateverTheThreads() {
        TableDenoiser d = new TableDenoiser(5, 4, new RandomStreams(8).stream("init"));
        DiffusionModel model = new DiffusionModel(tokenizer, d, new CosineSchedule(), 10);
        EncodedCorpus data = tokenizer.encodeCorpus(List.of("a", "ab", "abc", "cab", "b", "ba", "cc").stream()
                .flatMap(s -> Collections.nCopies(30, s).stream()).toList());
        Nelbo one = new NelboEvaluator(8, 1, 1).evaluate(model.tokenizer(), model.denoiser(), model.schedule(), data, 5);
        Nelbo two = new NelboEvaluator(8, 1, 2).evaluate(model.tokenizer(), model.denoiser(), model.schedule(), data, 5);
        assertEquals(one, two);
        assertTrue(one.reconstructionNats() >= 0 && one.reconstructionNats() < 0.01 * one.natsPerText(),
                "cosine's rate(0) ≈ 1.6e-4 leaves a tiny reconstruction term: " + one);
        assertTrue(!one.equals(new NelboEvaluator(8, 1, 1).evaluate(model.tokenizer(), model.denoiser(), model.schedule(), data, 6)));
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
