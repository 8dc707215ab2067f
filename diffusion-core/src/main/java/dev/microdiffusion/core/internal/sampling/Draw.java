package dev.microdiffusion.core.internal.sampling;

import org.apache.commons.rng.UniformRandomProvider;

/** Categorical draws by inverse CDF in double precision. */
public final class Draw {

    private Draw() {
    }

    /** An index i in [0, n) with probability p[i] (p sums to 1 up to rounding). */
    public static int categorical(double[] p, int n, UniformRandomProvider random) {
        double u = random.nextDouble();
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < n; i++) {
            if (p[i] > 0) {
                cumulative += p[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        // u fell in the rounding gap above the total: the last index with mass
        return last;
    }
}
