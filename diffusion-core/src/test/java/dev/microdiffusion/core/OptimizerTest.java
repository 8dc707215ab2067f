package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.microdiffusion.core.internal.training.AdamOptimizer;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.training.TrainingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerTest {

    @Test
    void adamTwoStepsByHand() {
        Parameter p = new Parameter("w", Parameter.Kind.WEIGHT, 2);
        p.values()[0] = 1f;
        p.values()[1] = -2f;
        AdamOptimizer adam = new AdamOptimizer(List.of(p), 0.9, 0.999, 1e-8, 0.0);
        p.gradient()[0] = 0.5f;
        p.gradient()[1] = -4f;
        adam.step(0.1);
        // step 1: m̂ = g, v̂ = g², so Δw = −lr·g/(|g| + ε)
        assertEquals(1 - 0.1 * 0.5 / (0.5 + 1e-8), p.values()[0], 1e-6);
        assertEquals(-2 + 0.1 * 4 / (4 + 1e-8), p.values()[1], 1e-6);
        p.gradient()[0] = 1f;
        adam.step(0.1);
        double m = 0.9 * 0.1 * 0.5 + 0.1 * 1.0;
        double v = 0.999 * 0.001 * 0.25 + 0.001 * 1.0;
        double mHat = m / (1 - 0.81);
        double vHat = v / (1 - 0.999 * 0.999);
        assertEquals(0.9 - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8), p.values()[0], 1e-5);
        assertEquals(2, adam.steps());
    }

    @Test
    void decoupledWeightDecayShrinksWeightsBeforeTheAdamStep() {
        Parameter p = new Parameter("w", Parameter.Kind.WEIGHT, 1);
        p.values()[0] = 2f;
        AdamOptimizer adamW = new AdamOptimizer(List.of(p), 0.9, 0.999, 1e-8, 0.01);
        p.gradient()[0] = 0f;
        adamW.step(0.5);
        assertEquals(2 * (1 - 0.5 * 0.01), p.values()[0], 1e-6);
    }

    @Test
    void theReferenceLearningRateSchedule() {
        TrainingConfig c = TrainingConfig.reference();
        assertEquals(5e-4 / 200, c.learningRateAt(0), 1e-15);
        assertEquals(5e-4 * (1 - 199 / 5000.0), c.learningRateAt(199), 1e-15);
        assertEquals(5e-4 * 0.5, c.learningRateAt(2500), 1e-15);
        assertEquals(5e-4 * 0.1, c.learningRateAt(4999), 1e-15);
    }
}
