package dev.microdiffusion.core.math;

/**
 * The exact GELU, x·Φ(x) = ½·x·(1 + erf(x/√2)), as PyTorch's default {@code nn.GELU()}, and its derivative
 * Φ(x) + x·φ(x): the plain scalar reference (and the default of the kernel interface), computed in double.
 */
final class Gelu {

    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private Gelu() {
    }

    public static void forward(float[] in, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            double x = in[i];
            out[i] = (float) (0.5 * x * (1.0 + erf(x * INV_SQRT2)));
        }
    }

    /** dIn[i] = dOut[i]·GELU′(in[i]). */
    public static void backward(float[] in, float[] dOut, float[] dIn, int n) {
        for (int i = 0; i < n; i++) {
            double x = in[i];
            double cdf = 0.5 * (1.0 + erf(x * INV_SQRT2));
            double pdf = Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
            dIn[i] = (float) (dOut[i] * (cdf + x * pdf));
        }
    }

    /** The coefficients of the erfc fit below, highest order last. */
    private static final double[] ERFC_COEFFICIENTS = {-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
        0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277};

    /**
     * erf with fractional error below 1.2e-7 everywhere (the Chebyshev fit of erfc in Numerical Recipes, §6.2), far
     * inside float precision; one exp per call.
     */
    public static double erf(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double[] c = ERFC_COEFFICIENTS;
        double inner = c[9];
        for (int j = 8; j >= 1; j--) {
            inner = inner * t + c[j];
        }
        double erfc = t * Math.exp(-z * z + c[0] + t * inner);
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }
}
