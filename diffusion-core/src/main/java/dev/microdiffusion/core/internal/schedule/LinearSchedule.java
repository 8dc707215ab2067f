package dev.microdiffusion.core.internal.schedule;

import dev.microdiffusion.core.spi.NoiseSchedule;

/** rate(t) = t: the fraction of masked tokens grows at a constant pace (α(t) = 1 − t). */
public final class LinearSchedule implements NoiseSchedule {

    public static final String NAME = "linear";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double rate(double t) {
        return t;
    }

    @Override
    public double rateDerivative(double t) {
        return 1.0;
    }
}
