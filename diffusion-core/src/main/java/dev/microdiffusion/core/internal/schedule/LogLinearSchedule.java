package dev.microdiffusion.core.internal.schedule;

import dev.microdiffusion.core.spi.NoiseSchedule;
import java.util.Map;

/**
 * MDLM's log-linear schedule: total noise σ(t) = −log(1 − (1 − ε)t), so α(t) = e^{−σ(t)} = 1 − (1 − ε)t and
 * rate(t) = (1 − ε)t. The ε keeps σ(1) finite; it also leaves each token clean with probability ε at t = 1, which
 * the evaluation's prior term ignores (as MDLM does).
 */
public final class LogLinearSchedule implements NoiseSchedule {

    public static final String NAME = "loglinear";

    /** MDLM's default ε. */
    public static final double EPSILON = 1e-3;

    private final double epsilon;

    public LogLinearSchedule() {
        this(EPSILON);
    }

    public LogLinearSchedule(double epsilon) {
        if (!(epsilon >= 0 && epsilon < 1)) {
            throw new IllegalArgumentException("epsilon must be in [0, 1), got " + epsilon);
        }
        this.epsilon = epsilon;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double rate(double t) {
        return (1.0 - epsilon) * t;
    }

    @Override
    public double rateDerivative(double t) {
        return 1.0 - epsilon;
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("epsilon", Double.toString(epsilon));
    }
}
