package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.microdiffusion.core.internal.sampling.TokenDistribution;
import dev.microdiffusion.core.sampling.ConfidenceMeasure;
import dev.microdiffusion.core.sampling.SamplingOptions;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class TokenDistributionTest {

    // V = 6, MASK = 5; softmax at τ = 1 of these logits, worked by hand below
    private final float[] logits = {2f, 1f, 0f, 3f, -1f, 4f};
    private final SamplingOptions plain = new SamplingOptions(10, 1.0);

    private static double[] softmax(float[] z, boolean dropLast) {
        int n = dropLast ? z.length - 1 : z.length;
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.exp(z[i]);
        }
        double[] p = new double[z.length];
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(z[i]) / s;
        }
        return p;
    }

    private double[] set(SamplingOptions options) {
        TokenDistribution d = new TokenDistribution(6, 5);
        d.set(logits, 0, options);
        double sum = 0;
        for (double p : d.probabilities()) {
            sum += p;
        }
        assertEquals(1.0, sum, 1e-12, "probabilities sum to 1");
        return d.probabilities().clone();
    }

    private static int support(double[] p) {
        int n = 0;
        for (double v : p) {
            n += v > 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    void maskIsRemovedUnlessAllowed() {
        double[] expected = softmax(logits, true);
        double[] p = set(plain);
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], p[i], 1e-6);
        }
        double[] withMask = set(SamplingOptions.reference(10, 1.0));
        assertEquals(softmax(logits, false)[5], withMask[5], 1e-6);
    }

    @Test
    void topKAndTopPKeepTheRightSupport() {
        double[] p = set(plain.toBuilder().topK(2).build());
        assertEquals(2, support(p));
        // top two without MASK: ids 3 (logit 3) and 0 (logit 2)
        assertEquals(Math.exp(3) / (Math.exp(3) + Math.exp(2)), p[3], 1e-6);
        // without MASK: p ≈ 0.636 (id 3), 0.234 (0), 0.086 (1), 0.032 (2), 0.012 (4); nucleus 0.9 needs three
        assertEquals(3, support(set(plain.toBuilder().topP(0.9).build())));
        assertEquals(1, support(set(plain.toBuilder().topP(0.5).build())));
        assertEquals(2, support(set(plain.toBuilder().topP(0.8).build())));
        assertEquals(5, support(set(plain)));
        assertEquals(2, support(set(plain.toBuilder().topK(3).topP(0.8).build())));
    }

    @Test
    void keptLengthsLeavePadAtItsUntemperedProbabilityAndTemperTheRest() {
        // PAD = 4 here; MASK (5) is removed first, as always
        int pad = 4;
        double[] untempered = softmax(logits, true);
        for (double tau : new double[] {0.5, 0.8, 1.7}) {
            SamplingOptions options = plain.toBuilder().temperature(tau).build();
            TokenDistribution d = new TokenDistribution(6, 5, pad);
            d.set(logits, 0, options);
            double[] p = d.probabilities();
            assertEquals(untempered[pad], p[pad], 1e-6, "PAD keeps its τ = 1 share at τ " + tau);
            // the characters share the rest in softmax(z/τ) proportions
            double tempered = 0;
            for (int i = 0; i < 4; i++) {
                tempered += Math.exp(logits[i] / tau);
            }
            double sum = 0;
            for (int i = 0; i < 6; i++) {
                sum += p[i];
                if (i < 4) {
                    assertEquals((1 - untempered[pad]) * Math.exp(logits[i] / tau) / tempered, p[i], 1e-6);
                }
            }
            assertEquals(1.0, sum, 1e-12);
            // without keeping lengths, PAD is tempered like the rest (the reference)
            TokenDistribution plainPad = new TokenDistribution(6, 5, pad);
            plainPad.set(logits, 0, options.toBuilder().keepLengths(false).build());
            double[] all = new double[6];
            double z = 0;
            for (int i = 0; i < 5; i++) {
                z += Math.exp(logits[i] / tau);
            }
            for (int i = 0; i < 5; i++) {
                all[i] = Math.exp(logits[i] / tau) / z;
                assertEquals(all[i], plainPad.probabilities()[i], 1e-6);
            }
        }
        // at τ = 1 the option changes nothing, to the bit
        TokenDistribution kept = new TokenDistribution(6, 5, pad);
        kept.set(logits, 0, plain);
        TokenDistribution notKept = new TokenDistribution(6, 5, pad);
        notKept.set(logits, 0, plain.toBuilder().keepLengths(false).build());
        Assertions.assertArrayEquals(notKept.probabilities(), kept.probabilities());
    }

    @Test
    void confidenceMeasures() {
        TokenDistribution d = new TokenDistribution(6, 5);
        d.set(logits, 0, plain);
        double[] p = d.probabilities();
        assertEquals(p[3], d.confidence(ConfidenceMeasure.MAX_PROBABILITY, 1), 1e-15);
        assertEquals(p[1], d.confidence(ConfidenceMeasure.DRAWN_PROBABILITY, 1), 1e-15);
        assertEquals(p[3] - p[0], d.confidence(ConfidenceMeasure.MARGIN, 1), 1e-15);
        double h = 0;
        for (double v : p) {
            h += v > 0 ? v * Math.log(v) : 0;
        }
        assertEquals(h, d.confidence(ConfidenceMeasure.NEGATIVE_ENTROPY, 1), 1e-15);
        assertEquals(ConfidenceMeasure.MARGIN, ConfidenceMeasure.parse("margin"));
    }

    @Test
    void aMaskOnlyDistributionStillGivesARealToken() {
        float[] z = {-50f, -40f, -60f, -70f, -80f, 60f};
        TokenDistribution d = new TokenDistribution(6, 5);
        d.set(z, 0, plain);
        assertEquals(1.0, d.probabilities()[1], 0);
    }

    @Test
    void aSetKeepsOnlyItsIdsBeforeTopKAndSumsToOne() {
        TokenDistribution d = new TokenDistribution(6, 5);
        boolean[] allowed = {true, false, true, false, true, false};
        d.set(logits, 0, plain, -1, allowed);
        double[] p = d.probabilities();
        // softmax over {0, 2, 4} alone: e², e⁰, e⁻¹ normalised
        double z = Math.exp(2) + Math.exp(0) + Math.exp(-1);
        assertEquals(Math.exp(2) / z, p[0], 1e-6);
        assertEquals(Math.exp(0) / z, p[2], 1e-6);
        assertEquals(Math.exp(-1) / z, p[4], 1e-6);
        assertEquals(0.0, p[1] + p[3] + p[5]);
        d.set(logits, 0, plain.toBuilder().topK(2).build(), -1, allowed);
        assertEquals(2, support(d.probabilities()), "top-k counts only the allowed ids");
        assertEquals(0.0, d.probabilities()[3], "the most likely id overall is not allowed");
        // an allowed set the model gives (almost) nothing still yields an allowed id
        float[] sure = {-200f, -200f, 200f, -200f, -200f, 0f};
        d.set(sure, 0, plain, -1, new boolean[] {false, true, false, false, true, false});
        double[] q = d.probabilities();
        assertEquals(1.0, q[1] + q[4], 1e-12);
        assertEquals(0.0, q[2]);
    }
}
