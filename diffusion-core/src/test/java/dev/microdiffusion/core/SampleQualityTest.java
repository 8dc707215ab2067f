package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.evaluation.KneserNeyModel;
import dev.microdiffusion.core.evaluation.SampleQuality;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleQualityTest {

    private final List<String> train = List.of("anna", "hannah", "ann", "nan", "ana", "hana");

    @Test
    void probabilitiesSumToOneInEveryContext() {
        KneserNeyModel model = new KneserNeyModel(train, 3, 0.75);
        for (String history : List.of("", "a", "an", "ann", "zz", "hannah")) {
            double sum = model.probability(history, null);
            for (char c : "ahnz".toCharArray()) {
                sum += model.probability(history, c);
            }
            // 'z' is outside the training alphabet {a, h, n, end}: the alphabet is those four, so z's share is extra
            double z = model.probability(history, 'z');
            assertEquals(1.0, sum - z, 1e-12, "after '" + history + "'");
        }
    }

    @Test
    void aHandComputedBigram() {
        // order 2 on {"ab"}: padded ^ab$; bigrams ^a, ab, b$; unigram continuation counts a:1, b:1, $:1;
        // alphabet {a, b, $} → P0 = 1/3. P1(a) = (1 − .5)/3 + .5·3/3·1/3 = 1/3. P2(a|^) = (1 − .5)/1 + .5·1/1·1/3
        KneserNeyModel model = new KneserNeyModel(List.of("ab"), 2, 0.5);
        assertEquals(0.5 + 0.5 / 3, model.probability("", 'a'), 1e-12);
        // context 'b' is seen once, followed by the end: P(b | b) = 0 + .5·1/1·P1(b) = .5/3
        assertEquals(0.5 / 3, model.probability("ab", 'b'), 1e-12);
        assertEquals(-Math.log(0.5 + 0.5 / 3) * 3, model.negativeLogLikelihood("ab"), 1e-12);
    }

    @Test
    void theReport() {
        KneserNeyModel model = new KneserNeyModel(train);
        SampleQuality q = SampleQuality.of(List.of("anna", "", "zzz", "anna"), train, List.of("hanna"), model, 6);
        assertEquals(0.25, q.emptyFraction());
        assertEquals(0.75, q.uniqueFraction());
        assertEquals(0.5, q.novelFraction());
        assertArrayEquals(new double[] {0.25, 0, 0, 0.25, 0.5, 0, 0}, q.lengthsSamples(), 1e-12);
        assertTrue(q.samplesNatsPerChar() > q.heldOutNatsPerChar(), "'zzz' is unlike the data");
    }
}
