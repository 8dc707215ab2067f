package dev.microdiffusion.core.internal.schedule;

import dev.microdiffusion.core.spi.NoiseSchedule;
import java.util.Map;

/**
 * MD4's polynomial schedule read as a mask rate: rate(t) = t^p (α(t) = 1 − t^p). p = 1 is the linear schedule;
 * p &gt; 1 keeps tokens clean longer, so more of the reverse process is spent on the last few masks.
 */
public final class PolynomialSchedule implements NoiseSchedule {

    public static final String NAME = "polynomial";

    /** The default exponent. */
    public static final double EXPONENT = 2.0;

    private final double exponent;

    public PolynomialSchedule() {
        this(EXPONENT);
    }

    /** The steepest schedule accepted. */
    static final double MAX_EXPONENT = 32;

    public PolynomialSchedule(double exponent) {
        // past this t^p is 0 to double precision over most of [0, 1]: the bound would be empty
        if (!(exponent > 0 && exponent <= MAX_EXPONENT)) {
            throw new IllegalArgumentException("exponent must be in (0, " + (int) MAX_EXPONENT + "], got " + exponent);
        }
        this.exponent = exponent;
    }

    public double exponent() {
        return exponent;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double rate(double t) {
        return Math.pow(t, exponent);
    }

    @Override
    public double rateDerivative(double t) {
        return exponent * Math.pow(t, exponent - 1.0);
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("exponent", Double.toString(exponent));
    }
}
