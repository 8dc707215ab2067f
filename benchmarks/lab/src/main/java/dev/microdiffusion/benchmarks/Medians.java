package dev.microdiffusion.benchmarks;

import java.util.Arrays;

/** Order statistics of a few dozen timings (the interleaved programs report medians and quartiles). */
final class Medians {

    private Medians() {
    }

    static double median(double[] x) {
        return quantile(x, 0.5);
    }

    /** The value at rank round(q·(n − 1)) of the sorted values. */
    static double quantile(double[] x, double q) {
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.round(q * (sorted.length - 1))];
    }
}
