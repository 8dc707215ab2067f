package dev.microdiffusion.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Partial masking's output layer: hand-computed marginals, every masked digit's probabilities summing to 1, known
 * digits restricting the codes, and the backward against central finite differences.
 */
class DigitMarginalsTest {

    private static final float IMPOSSIBLE = DigitMarginals.IMPOSSIBLE;

    @Test
    void handComputedMarginalsOfTwoBinaryDigits() {
        DigitMarginals layer = new DigitMarginals(2, 2);
        // codes 00, 01, 10, 11 with probabilities 1, 2, 3, 4 (/ 10)
        float[] z = {0f, (float) Math.log(2), (float) Math.log(3), (float) Math.log(4)};
        float[] out = new float[2 * 3];
        layer.forward(z, new int[] {2, 2}, 1, out, layer.newActivations(1));
        assertEquals(Math.log(0.3), out[0], 1e-6); // first digit 0: 00 or 01
        assertEquals(Math.log(0.7), out[1], 1e-6);
        assertEquals(IMPOSSIBLE, out[2]);
        assertEquals(Math.log(0.4), out[3], 1e-6); // second digit 0: 00 or 10
        assertEquals(Math.log(0.6), out[4], 1e-6);

        // the first digit known to be 1: only 10 and 11 remain, 3 : 4
        layer.forward(z, new int[] {1, 2}, 1, out, layer.newActivations(1));
        assertEquals(IMPOSSIBLE, out[0]);
        assertEquals(0f, out[1]);
        assertEquals(IMPOSSIBLE, out[2]);
        assertEquals(Math.log(3.0 / 7), out[3], 1e-6);
        assertEquals(Math.log(4.0 / 7), out[4], 1e-6);
    }

    @Test
    void everyMaskedDigitsProbabilitiesSumToOne() {
        Random random = new Random(5);
        DigitMarginals layer = new DigitMarginals(3, 3);
        int characters = 40;
        float[] z = new float[characters * 27];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (3 * random.nextGaussian());
        }
        int[] ids = new int[characters * 3];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(4);
        }
        float[] out = new float[characters * 3 * 4];
        layer.forward(z, ids, characters, out, layer.newActivations(characters));
        for (int k = 0; k < characters * 3; k++) {
            double sum = 0;
            for (int d = 0; d < 3; d++) {
                sum += Math.exp(out[k * 4 + d]);
            }
            assertEquals(1.0, sum, 1e-5, "digit " + k);
            assertEquals(IMPOSSIBLE, out[k * 4 + 3], "MASK is never predicted");
        }
    }

    @Test
    void itsBackwardMatchesFiniteDifferences() {
        Random random = new Random(9);
        DigitMarginals layer = new DigitMarginals(3, 2);
        int characters = 6;
        int[] ids = {3, 3, 0, 3, 3, 2, 1, 1, 3, 3, 2, 3};
        double[] z = new double[characters * 9];
        for (int i = 0; i < z.length; i++) {
            z[i] = random.nextGaussian();
        }
        double[] c = new double[characters * 2 * 4];
        for (int i = 0; i < c.length; i++) {
            c[i] = random.nextGaussian();
        }
        float[] dOut = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            dOut[i] = (float) c[i];
        }
        DigitMarginals.Activations kept = layer.newActivations(characters);
        float[] out = new float[c.length];
        layer.forward(floats(z), ids, characters, out, kept);
        float[] dz = new float[z.length];
        layer.backward(dOut, kept, characters, dz);
        double h = 1e-2;
        for (int i = 0; i < z.length; i++) {
            double saved = z[i];
            z[i] = saved + h;
            double plus = loss(layer, z, ids, characters, c);
            z[i] = saved - h;
            double minus = loss(layer, z, ids, characters, c);
            z[i] = saved;
            assertEquals((plus - minus) / (2 * h), dz[i], 2e-3, "logit " + i);
        }
    }

    /** Σ c·out over the outputs that depend on the logits (a known digit's and MASK's are constants). */
    private static double loss(DigitMarginals layer, double[] z, int[] ids, int characters, double[] c) {
        float[] out = new float[c.length];
        layer.forward(floats(z), ids, characters, out, layer.newActivations(characters));
        double sum = 0;
        for (int i = 0; i < c.length; i++) {
            sum += c[i] * out[i];
        }
        return sum;
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    @Test
    void itRefusesWhatIsNeitherADigitNorMask() {
        DigitMarginals layer = new DigitMarginals(2, 2);
        assertThrows(IllegalArgumentException.class,
                () -> layer.forward(new float[4], new int[] {0, 3}, 1, new float[6], layer.newActivations(1)));
        assertThrows(IllegalArgumentException.class, () -> new DigitMarginals(1, 2));
        assertThrows(IllegalArgumentException.class, () -> new DigitMarginals(2, 17));
    }
}
