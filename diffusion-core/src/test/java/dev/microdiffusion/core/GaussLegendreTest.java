package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microdiffusion.core.internal.math.GaussLegendre;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.junit.jupiter.api.Test;

class GaussLegendreTest {

    @Test
    void equalsCommonsMathToTheBit() {
        GaussIntegratorFactory factory = new GaussIntegratorFactory();
        for (int n = 1; n <= 80; n++) {
            for (double[] interval : new double[][] {{0, 1}, {-1, 1}, {-3, 7.5}}) {
                GaussIntegrator theirs = factory.legendre(n, interval[0], interval[1]);
                double[][] ours = GaussLegendre.rule(n, interval[0], interval[1]);
                double[] points = new double[n];
                double[] weights = new double[n];
                for (int i = 0; i < n; i++) {
                    points[i] = theirs.getPoint(i);
                    weights[i] = theirs.getWeight(i);
                }
                assertArrayEquals(points, ours[0], 0.0, "nodes of " + n);
                assertArrayEquals(weights, ours[1], 0.0, "weights of " + n);
            }
        }
    }

    @Test
    void integratesPolynomialsBelowDegreeTwoNExactly() {
        for (int n = 1; n <= 12; n++) {
            double[][] rule = GaussLegendre.rule(n, 0, 1);
            for (int degree = 0; degree < 2 * n; degree++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += rule[1][i] * Math.pow(rule[0][i], degree);
                }
                assertEquals(1.0 / (degree + 1), sum, 1e-13, "∫₀¹ x^" + degree + " with " + n + " nodes");
            }
        }
    }

    @Test
    void refusesRulesItCannotBuild() {
        assertThrows(IllegalArgumentException.class, () -> GaussLegendre.rule(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> GaussLegendre.rule(GaussLegendre.MAX_NODES + 1, 0, 1));
    }
}
