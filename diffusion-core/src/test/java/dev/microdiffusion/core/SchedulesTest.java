package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.internal.schedule.LinearSchedule;
import dev.microdiffusion.core.internal.schedule.LogLinearSchedule;
import dev.microdiffusion.core.internal.schedule.PolynomialSchedule;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.NoiseScheduleProvider;
import dev.microdiffusion.core.spi.Registry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchedulesTest {

    @Test
    void closedForms() {
        LinearSchedule linear = new LinearSchedule();
        LogLinearSchedule logLinear = new LogLinearSchedule(1e-3);
        PolynomialSchedule cubic = new PolynomialSchedule(3);
        for (double t = 0; t <= 1.0; t += 0.125) {
            assertEquals(t, linear.rate(t), 1e-15);
            assertEquals(1 - t, linear.alpha(t), 1e-15);
            // MDLM: α(t) = exp(−σ(t)), σ(t) = −log(1 − (1 − ε)t)
            double sigma = -Math.log(1 - (1 - 1e-3) * t);
            assertEquals(Math.exp(-sigma), logLinear.alpha(t), 1e-12);
            assertEquals(t * t * t, cubic.rate(t), 1e-15);
        }
        assertEquals(0.999, logLinear.rate(1.0), 1e-15);
        assertEquals(1.0, cubic.rate(1.0), 0);
        assertEquals(0.0, cubic.rate(0.0), 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cosine", "linear", "loglinear", "polynomial"})
    void derivativeMatchesFiniteDifferencesAndRateIncreases(String name) {
        NoiseSchedule schedule = Registry.find(NoiseScheduleProvider.class, name).create();
        double h = 1e-6;
        double previous = -1;
        for (double t = 0.01; t < 1.0; t += 0.049) {
            double numeric = (schedule.rate(t + h) - schedule.rate(t - h)) / (2 * h);
            assertEquals(numeric, schedule.rateDerivative(t), 1e-6, name + " at t = " + t);
            assertTrue(schedule.rate(t) > previous, name + " must increase");
            previous = schedule.rate(t);
        }
        assertEquals(name, schedule.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cosine", "linear", "loglinear", "polynomial"})
    void settingsRebuildTheSameSchedule(String name) {
        NoiseScheduleProvider provider = Registry.find(NoiseScheduleProvider.class, name);
        NoiseSchedule schedule = provider.create();
        NoiseSchedule rebuilt = provider.create(schedule.parameters());
        for (double t = 0; t <= 1; t += 0.1) {
            assertEquals(schedule.rate(t), rebuilt.rate(t), 0);
        }
    }

    @Test
    void settingsAreValidated() {
        NoiseScheduleProvider polynomial = Registry.find(NoiseScheduleProvider.class, "polynomial");
        assertEquals(27.0, polynomial.create(Map.of("exponent", "3")).rate(3.0), 1e-12);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> polynomial.create(Map.of("power", "3")))
                .getMessage().contains("exponent"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> polynomial.create(Map.of("exponent", "x")))
                .getMessage().contains("must be a number"));
        assertThrows(IllegalArgumentException.class, () -> polynomial.create(Map.of("exponent", "-1")));
        assertThrows(IllegalArgumentException.class,
                () -> Registry.find(NoiseScheduleProvider.class, "linear").create(Map.of("epsilon", "0.1")));
    }
}
