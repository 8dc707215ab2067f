package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.internal.evaluation.NelboEvaluator;
import dev.microdiffusion.core.internal.math.GaussLegendre;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.internal.schedule.LinearSchedule;
import dev.microdiffusion.core.nn.DigitMarginals;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.EncodedCorpus;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.Parameter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Partial masking's bound is a bound: a perfect model of one character written in two dependent binary digits, whose
 * masked digits get their true probabilities given the known digit ({@link DigitMarginals} over the true log-odds),
 * scores each character at its exact −log p under the NELBO — the chain rule over digits revealed one at a time — for
 * any schedule. The per-character joint form (−log p(x | known digits), counted once per character, as MDM-Prime's
 * public code trains and reports) reads below the entropy for the same perfect model: not a bound.
 */
class PartialMaskingBoundTest {

    /** p(00) = 0.4, p(01) = 0.1, p(10) = 0.1, p(11) = 0.4: digits that agree. */
    private static final double[] P = {0.4, 0.1, 0.1, 0.4};

    /** The true distribution as a denoiser: it reads the known digits and nothing else (no parameters, no t). */
    private static final class Oracle implements Denoiser {
        private final DenoiserConfig config = new DenoiserConfig("oracle", 3, 2, Map.of());
        private final DigitMarginals marginals = new DigitMarginals(2, 2);

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
            float[] z = new float[maxBatch * 4];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) Math.log(P[i % 4]);
            }
            DigitMarginals.Activations kept = marginals.newActivations(maxBatch);
            return new Pass() {
                @Override
                public int maxBatch() {
                    return maxBatch;
                }

                @Override
                public void forward(int[] tokens, float[] times, int batch, float[] logits) {
                    marginals.forward(z, tokens, batch, logits, kept);
                }

                @Override
                public void backward(float[] dLogits, Gradients gradients) {
                    throw new UnsupportedOperationException("an oracle does not learn");
                }
            };
        }
    }

    private static double entropy() {
        double h = 0;
        for (double p : P) {
            h -= p * Math.log(p);
        }
        return h;
    }

    @Test
    void aPerfectDigitModelScoresEachCharacterAtItsExactLikelihood() {
        // ids: digits 0 and 1, MASK 2; the "a" tokenizer has exactly those three ids and rows of two
        TinyTokenizer tokenizer = new TinyTokenizer("a", 2);
        EncodedCorpus codes = new EncodedCorpus(List.of("w", "x", "y", "z"), new int[] {0, 0, 0, 1, 1, 0, 1, 1}, 2, 0);
        for (NoiseSchedule schedule : List.of(new LinearSchedule(), new CosineSchedule())) {
            double[] nats = new NelboEvaluator(16, 4000, 1).natsPerText(tokenizer, new Oracle(), schedule, codes, 7);
            double expected = 0;
            for (int c = 0; c < 4; c++) {
                assertEquals(-Math.log(P[c]), nats[c], 0.03, schedule.name() + ", code " + c);
                expected += P[c] * nats[c];
            }
            assertEquals(entropy(), expected, 0.02, schedule.name());
        }
    }

    @Test
    void enumeratedExactlyTheDigitBoundIsTheEntropyAndTheJointFormIsBelowIt() {
        // linear schedule: each digit masked with probability t, weight 1/t per masked term; the integrands are
        // polynomials in t, which Gauss–Legendre integrates exactly
        double[][] rule = GaussLegendre.rule(16, 0.0, 1.0);
        DigitMarginals layer = new DigitMarginals(2, 2);
        float[] z = new float[4];
        for (int c = 0; c < 4; c++) {
            z[c] = (float) Math.log(P[c]);
        }
        double bound = 0;
        double joint = 0;
        for (int n = 0; n < rule[0].length; n++) {
            double t = rule[0][n];
            for (int c = 0; c < 4; c++) {
                int[] digits = {c / 2, c % 2};
                for (int pattern = 1; pattern < 4; pattern++) { // which digits are masked: at least one
                    boolean[] masked = {(pattern & 2) != 0, (pattern & 1) != 0};
                    int[] ids = {masked[0] ? 2 : digits[0], masked[1] ? 2 : digits[1]};
                    double weight = rule[1][n] * P[c] / t;
                    for (boolean m : masked) {
                        weight *= m ? t : 1 - t;
                    }
                    float[] out = new float[6];
                    layer.forward(z, ids, 1, out, layer.newActivations(1));
                    double agreeing = 0;
                    for (int other = 0; other < 4; other++) {
                        if ((masked[0] || other / 2 == digits[0]) && (masked[1] || other % 2 == digits[1])) {
                            agreeing += P[other];
                        }
                    }
                    for (int j = 0; j < 2; j++) {
                        if (masked[j]) {
                            bound -= weight * out[j * 3 + digits[j]];
                        }
                    }
                    joint -= weight * Math.log(P[c] / agreeing);
                }
            }
        }
        double h = entropy();
        assertEquals(h, bound, 1e-6, "the digits' bound of a perfect model");
        double mutualInformation = 2 * Math.log(2) - h; // both digits are uniform on their own
        assertEquals(h - mutualInformation / 2, joint, 1e-6, "the joint form misses half the digits' shared bits");
        assertTrue(joint < h - 0.09, "not a bound: " + joint + " nats below the entropy " + h);
    }
}
