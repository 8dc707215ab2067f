package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import org.junit.jupiter.api.Test;

class CosineScheduleTest {

    private final CosineSchedule schedule = new CosineSchedule();

    @Test
    void matchesTheReferenceValues() {
        // rate(k) = 1 − cos²(((k/T) + 0.008)/1.008 · π/2), values as the reference prints them
        assertEquals(0.0026, schedule.rate(1, 40), 5e-5);
        assertEquals(0.153, schedule.rate(10, 40), 5e-4);
        assertEquals(0.506, schedule.rate(20, 40), 5e-4);
        assertEquals(1.0, schedule.rate(40, 40), 1e-15);
        // hand computation at t = 0: 1 − cos²(0.008/1.008 · π/2)
        double u = 0.008 / 1.008 * Math.PI / 2;
        assertEquals(Math.sin(u) * Math.sin(u), schedule.rate(0.0), 1e-15);
    }

    @Test
    void increasesFromAboutZeroToOne() {
        double previous = -1;
        for (int k = 0; k <= 1000; k++) {
            double r = schedule.rate(k / 1000.0);
            assertTrue(r > previous, "rate must increase at t = " + k / 1000.0);
            previous = r;
        }
        assertEquals(1.0 - schedule.rate(0.3), schedule.alpha(0.3), 1e-15);
    }

    @Test
    void derivativeMatchesFiniteDifferences() {
        double h = 1e-6;
        for (double t = 0.01; t < 1.0; t += 0.049) {
            double numeric = (schedule.rate(t + h) - schedule.rate(t - h)) / (2 * h);
            assertEquals(numeric, schedule.rateDerivative(t), 1e-7, "at t = " + t);
        }
    }
}
