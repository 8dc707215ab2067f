package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.nn.Softmax;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SoftmaxTest {

    @Test
    void handComputedCase() {
        float[] logits = {0f, 1f, 2f};
        double[] p = new double[3];
        double top = Softmax.probabilities(logits, 0, 3, 1.0, p);
        double z = 1 + Math.E + Math.E * Math.E;
        assertEquals(1 / z, p[0], 1e-12);
        assertEquals(Math.E / z, p[1], 1e-12);
        assertEquals(Math.E * Math.E / z, p[2], 1e-12);
        assertEquals(p[2], top, 0);
        // temperature 2 halves the logits
        Softmax.probabilities(logits, 0, 3, 2.0, p);
        double z2 = 1 + Math.exp(0.5) + Math.E;
        assertEquals(Math.E / z2, p[2], 1e-12);
    }

    @Test
    void probabilitiesSumToOneEvenForHugeLogits() {
        float[] logits = {1000f, -1000f, 999f, 0f, 1000f};
        double[] p = new double[5];
        Softmax.probabilities(logits, 0, 5, 0.5, p);
        double sum = 0;
        for (double v : p) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-12);
    }

    @Test
    void crossEntropyAndItsGradient() {
        float[] logits = {0.3f, -1.2f, 2.0f, 0.7f};
        float[] grad = new float[4];
        double loss = Softmax.crossEntropy(logits, 0, 4, 2, 0.5f, grad);
        double[] p = new double[4];
        Softmax.probabilities(logits, 0, 4, 1.0, p);
        assertEquals(-Math.log(p[2]), loss, 1e-9);
        for (int i = 0; i < 4; i++) {
            float[] plus = logits.clone();
            float[] minus = logits.clone();
            plus[i] += 1e-3f;
            minus[i] -= 1e-3f;
            double numeric = (Softmax.crossEntropy(plus, 0, 4, 2, 1f, new float[4])
                    - Softmax.crossEntropy(minus, 0, 4, 2, 1f, new float[4])) / 2e-3 * 0.5;
            assertEquals(numeric, grad[i], 1e-4, "d/dlogit " + i);
        }
    }

    @ParameterizedTest
    @CsvSource({"5,7", "12,28", "3,16", "1,40"})
    void crossEntropyOfManyRowsGivesEachRowsBits(int rows, int n) {
        Random random = new Random(rows * 31 + n);
        float[] logits = new float[rows * n];
        int[] targets = new int[rows];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (3 * random.nextGaussian());
        }
        for (int r = 0; r < rows; r++) {
            targets[r] = random.nextInt(n);
        }
        for (MatrixKernel kernel : new MatrixKernel[] {
            MatrixKernels.preferred(), MatrixKernels.portable()}) {
            float[] each = new float[rows * n];
            double expected = 0;
            for (int r = 0; r < rows; r++) {
                expected += Softmax.crossEntropy(kernel, logits, r * n, n, targets[r], 0.25f, each);
            }
            float[] all = new float[rows * n];
            double total = Softmax.crossEntropyRows(kernel, logits, rows, n, targets, 0.25f, all, new float[rows * n]);
            assertEquals(expected, total, 0.0, kernel.name());
            Assertions.assertArrayEquals(each, all, kernel.name());
        }
    }

    /**
     * The row maximum (written into the shift) is the left-to-right Math.max fold, whatever the row's length and where
     * its −0, +0, infinities and NaN stand: the interleaved maxima may not change which value wins.
     */
    @Test
    void theRowMaximumIsTheLeftToRightOne() {
        float[] specials = {-0f, 0f, Float.NEGATIVE_INFINITY, -1f, Float.NaN, Float.POSITIVE_INFINITY, -3f, 2f};
        Random random = new Random(4);
        for (int n = 1; n <= 9; n++) {
            for (int trial = 0; trial < 200; trial++) {
                float[] logits = new float[n];
                for (int i = 0; i < n; i++) {
                    logits[i] = specials[random.nextInt(trial < 100 ? 3 : specials.length)];
                }
                float expected = Float.NEGATIVE_INFINITY;
                for (float x : logits) {
                    expected = Math.max(expected, x);
                }
                float[] shift = new float[n];
                Softmax.crossEntropyRows(MatrixKernels.portable(), logits, 1, n,
                        new int[] {0}, 1f, new float[n], shift);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(shift[0]),
                        Arrays.toString(logits));
            }
        }
    }

    @Test
    void aNanLogitMakesTheLossNan() {
        for (MatrixKernel kernel : new MatrixKernel[] {
            MatrixKernels.portable(), MatrixKernels.preferred()}) {
            float[] logits = {1f, Float.NaN, 2f, 0.5f, 3f, -1f};
            double loss = Softmax.crossEntropyRows(kernel, logits, 2, 3, new int[] {0, 2}, 1f, new float[6],
                    new float[6]);
            Assertions.assertTrue(Double.isNaN(loss), kernel.name() + ": " + loss);
        }
    }
}
