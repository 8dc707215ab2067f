package dev.microdiffusion.core.internal.schedule;

import dev.microdiffusion.core.spi.NoiseSchedule;
import java.util.Map;

/**
 * The reference's schedule (Nichol and Dhariwal's cosine, read as a mask rate):
 * rate(t) = 1 − cos²(((t + s)/(1 + s))·π/2) with s = 0.008, so rate(0) ≈ 0 and rate(1) = 1.
 */
public final class CosineSchedule implements NoiseSchedule {

    public static final String NAME = "cosine";

    /** The offset that keeps rate(0) from being exactly zero. */
    public static final double OFFSET = 0.008;

    private final double offset;

    public CosineSchedule() {
        this(OFFSET);
    }

    public CosineSchedule(double offset) {
        // past 1 the schedule masks half of every row at t = 0: no longer a noise schedule from clean data
        if (!(offset >= 0 && offset <= 1)) {
            throw new IllegalArgumentException("offset must be in [0, 1], got " + offset);
        }
        this.offset = offset;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double rate(double t) {
        double c = Math.cos(angle(t));
        return 1.0 - c * c;
    }

    /** d/dt [1 − cos²(u)] = 2 sin(u) cos(u) · du/dt = sin(2u) · π / (2(1 + s)). */
    @Override
    public double rateDerivative(double t) {
        return Math.sin(2.0 * angle(t)) * Math.PI / (2.0 * (1.0 + offset));
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("offset", Double.toString(offset));
    }

    private double angle(double t) {
        return (t + offset) / (1.0 + offset) * (Math.PI / 2.0);
    }
}
