package dev.microdiffusion.core.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

/** The erf both kernels' GELU is made of, against Commons Math's. */
class GeluTest {

    @Test
    void erfMatchesCommonsMathToFloatPrecision() {
        for (double x = -6; x <= 6; x += 0.001) {
            assertEquals(Erf.erf(x), Gelu.erf(x), 2e-7, "erf(" + x + ")");
        }
    }
}
