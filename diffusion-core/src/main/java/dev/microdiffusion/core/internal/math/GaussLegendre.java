package dev.microdiffusion.core.internal.math;

/**
 * Gauss–Legendre quadrature rules. The n nodes are the roots of the Legendre polynomial Pₙ, which interlace with the
 * roots of Pₙ₋₁: each root of Pₙ is found by bisection inside its bracket of consecutive roots of Pₙ₋₁, so the rules
 * are built up from n = 1, each from the one before, in double precision (the bracketing scheme Commons Math's
 * {@code LegendreRuleFactory} uses, whose nodes and weights these equal to the bit; a test holds them to it).
 */
public final class GaussLegendre {

    /** The most nodes a rule may have: building one costs about n³ operations. */
    public static final int MAX_NODES = 256;

    private GaussLegendre() {
    }

    /**
     * The n-node rule on [a, b]: {@code {nodes, weights}}, nodes increasing; ∫ₐᵇ f ≈ Σ wᵢ f(xᵢ), exact for polynomials
     * of degree below 2n.
     */
    public static double[][] rule(int n, double a, double b) {
        if (n < 1 || n > MAX_NODES) {
            throw new IllegalArgumentException("a Gauss–Legendre rule has 1 to " + MAX_NODES + " nodes, got " + n);
        }
        double[] nodes = {0.0};
        double[] weights = {2.0};
        for (int m = 2; m <= n; m++) {
            double[] previous = nodes;
            nodes = new double[m];
            weights = new double[m];
            int half = m / 2;
            for (int i = 0; i < half; i++) {
                double lo = i == 0 ? -1 : previous[i - 1];
                double hi = half == 1 ? 1 : previous[i];
                double pLo = legendre(m, lo)[1];
                double mid = 0.5 * (lo + hi);
                double[] p;
                while (true) {
                    boolean narrow = hi - lo <= Math.ulp(mid);
                    p = legendre(m, mid);
                    if (narrow) {
                        break;
                    }
                    if (pLo * p[1] <= 0) {
                        hi = mid;
                    } else {
                        lo = mid;
                        pLo = p[1];
                    }
                    mid = 0.5 * (lo + hi);
                }
                // w = 2 (1 − x²) / (m (Pₘ₋₁(x) − x Pₘ(x)))²
                double d = m * (p[0] - mid * p[1]);
                double w = 2 * (1 - mid * mid) / (d * d);
                nodes[i] = mid;
                weights[i] = w;
                nodes[m - 1 - i] = -mid;
                weights[m - 1 - i] = w;
            }
            if (m % 2 != 0) {
                // the middle node is 0, where Pₘ₋₁(0) = (−1)^((m−1)/2) (m−2)!!/(m−1)!!
                double p = 1;
                for (int j = 1; j < m; j += 2) {
                    p = -j * p / (j + 1);
                }
                double d = m * p;
                nodes[half] = 0.0;
                weights[half] = 2 / (d * d);
            }
        }
        double scale = (b - a) / 2;
        double shift = a + scale;
        for (int i = 0; i < n; i++) {
            nodes[i] = nodes[i] * scale + shift;
            weights[i] *= scale;
        }
        return new double[][] {nodes, weights};
    }

    /** {Pₘ₋₁(x), Pₘ(x)} by Bonnet's recurrence (j+1) Pⱼ₊₁ = (2j+1) x Pⱼ − j Pⱼ₋₁. */
    private static double[] legendre(int m, double x) {
        double before = 1;
        double now = x;
        for (int j = 1; j < m; j++) {
            double next = ((2 * j + 1) * x * now - j * before) / (j + 1);
            before = now;
            now = next;
        }
        return new double[] {before, now};
    }
}
