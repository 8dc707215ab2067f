package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

/** Test helpers for matrix kernels. */
final class Matrices {

    private Matrices() {
    }

    /** Gaussian values. */
    static float[] random(Random random, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** The first {@code size} values agree within float rounding of an {@code inner}-long sum. */
    static void assertClose(float[] expected, float[] actual, int size, int inner) {
        double tolerance = 1e-5 * Math.sqrt(inner) + 1e-6;
        for (int i = 0; i < size; i++) {
            assertEquals(expected[i], actual[i], tolerance * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }
}
