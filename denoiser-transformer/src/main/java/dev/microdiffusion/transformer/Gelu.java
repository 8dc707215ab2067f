package dev.microdiffusion.transformer;

/**
 * The exact GELU, x·Φ(x) = ½·x·(1 + erf(x/√2)), as PyTorch's default {@code nn.GELU()}, and its derivative
 * Φ(x) + x·φ(x).
 */
final class Gelu {

    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private Gelu() {
    }

    static void forward(float[] in, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            double x = in[i];
            out[i] = (float) (0.5 * x * (1.0 + erf(x * INV_SQRT2)));
        }
    }

    /** dIn[i] = dOut[i]·GELU′(in[i]). */
    static void backward(float[] in, float[] dOut, float[] dIn, int n) {
        for (int i = 0; i < n; i++) {
            double x = in[i];
            double cdf = 0.5 * (1.0 + erf(x * INV_SQRT2));
            double pdf = Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
            dIn[i] = (float) (dOut[i] * (cdf + x * pdf));
        }
    }

    /**
     * erf with fractional error below 1.2e-7 everywhere (the Chebyshev fit of erfc in Numerical Recipes, §6.2), far
     * inside float precision; one exp per call.
     */
    static double erf(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }
}
