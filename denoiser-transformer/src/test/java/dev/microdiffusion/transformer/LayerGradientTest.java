package dev.microdiffusion.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.microdiffusion.core.internal.math.Gelu;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each layer's backward against central finite differences of L = Σ c·y (c random), in isolation, and its forward
 * against hand-computed values.
 */
class LayerGradientTest {

    private static final Random RANDOM = new Random(17);

    private static float[] gaussian(int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * RANDOM.nextGaussian());
        }
        return v;
    }

    /** Σ c·y after {@code forward} recomputes y from the current inputs. */
    private static double loss(Runnable forward, float[] y, float[] c) {
        forward.run();
        double sum = 0;
        for (int i = 0; i < c.length; i++) {
            sum += (double) c[i] * y[i];
        }
        return sum;
    }

    /** Compares analytic gradients of an input array with central differences. */
    private static void check(String name, float[] input, float[] analytic, Runnable forward, float[] y, float[] c) {
        double h = 1e-3;
        for (int i = 0; i < input.length; i++) {
            float saved = input[i];
            input[i] = (float) (saved + h);
            double plus = loss(forward, y, c);
            input[i] = (float) (saved - h);
            double minus = loss(forward, y, c);
            input[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic[i], 2e-3 + 1e-2 * Math.abs(numeric), name + "[" + i + "]");
        }
        forward.run();
    }

    @Test
    void erfMatchesCommonsMathToFloatPrecision() {
        for (double x = -6; x <= 6; x += 0.001) {
            assertEquals(Erf.erf(x), Gelu.erf(x), 2e-7, "erf(" + x + ")");
        }
    }

    @Test
    void geluForwardByHandAndBackwardByFiniteDifferences() {
        float[] in = {0f, 1f, -1f, 3f};
        float[] out = new float[4];
        Gelu.forward(in, out, 4);
        assertEquals(0.0, out[0], 1e-7);
        assertEquals(0.8413447, out[1], 1e-6); // 1·Φ(1)
        assertEquals(-0.1586553, out[2], 1e-6); // −1·Φ(−1)
        assertEquals(2.9959502, out[3], 1e-6);

        float[] x = gaussian(50, 2);
        float[] y = new float[50];
        float[] c = gaussian(50, 1);
        float[] dx = new float[50];
        Runnable forward = () -> Gelu.forward(x, y, 50);
        forward.run();
        Gelu.backward(x, c, dx, 50);
        check("x", x, dx, forward, y, c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "ojalgo"})
    void rmsNormForwardByHandAndBackwardByFiniteDifferences(String kernelName) {
        MatrixKernel kernel = kernelName.equals("vector")
                ? MatrixKernels.preferred() : MatrixKernels.portable();
        float[] x = {3f, 4f};
        float[] y = new float[2];
        float[] r = new float[1];
        RmsNorm.forward(kernel, x, new float[] {1f, 2f}, y, r, 1, 2);
        // mean(x²) = 12.5: y = x/√12.5 · scale
        assertEquals(3 / Math.sqrt(12.5), y[0], 1e-6);
        assertEquals(2 * 4 / Math.sqrt(12.5), y[1], 1e-6);

        // d = 6 takes the scalar path, d = 32 the vector kernel's lanes
        for (int d : new int[] {6, 32}) {
            int rows = 3;
            float[] in = gaussian(rows * d, 1.5);
            float[] scale = gaussian(d, 1);
            float[] out = new float[rows * d];
            float[] rms = new float[rows];
            float[] c = gaussian(rows * d, 1);
            float[] dIn = new float[rows * d];
            float[] dScale = new float[d];
            Runnable forward = () -> RmsNorm.forward(kernel, in, scale, out, rms, rows, d);
            forward.run();
            RmsNorm.backward(kernel, c, in, scale, rms, dIn, dScale, rows, d);
            check("x", in, dIn, forward, out, c);
            check("scale", scale, dScale, forward, out, c);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "ojalgo"})
    void attentionForwardByHandAndBackwardByFiniteDifferences(String kernelName) {
        MatrixKernel kernel = kernelName.equals("vector")
                ? MatrixKernels.preferred() : MatrixKernels.portable();
        // one row of two positions, one head of width 1: q = k = (0, 0) gives uniform attention, out = mean of v
        float[] qkv = {0f, 0f, 2f, 0f, 0f, 4f};
        float[] p = new float[4];
        float[] out = new float[2];
        new Attention(kernel, 2, 1, 1).forward(qkv, p, out, 1);
        assertEquals(0.5f, p[0], 1e-7);
        assertEquals(3f, out[0], 1e-6);
        assertEquals(3f, out[1], 1e-6);

        // odd sizes (the plain path) and L = hd = 16, 32 (the vector kernel's lane-wise path on 4-, 8- and 16-lane
        // machines)
        for (int[] shape : new int[][] {{2, 3, 2, 2}, {2, 16, 2, 16}, {1, 32, 1, 32}}) {
            int batch = shape[0];
            int length = shape[1];
            int heads = shape[2];
            int headDim = shape[3];
            int d = heads * headDim;
            float[] in = gaussian(batch * length * 3 * d, 1);
            float[] probabilities = new float[batch * heads * length * length];
            float[] y = new float[batch * length * d];
            float[] c = gaussian(y.length, 1);
            float[] dIn = gaussian(in.length, 1); // overwritten, not added to
            Attention attention = new Attention(kernel, length, heads, headDim);
            Runnable forward = () -> attention.forward(in, probabilities, y, batch);
            forward.run();
            attention.backward(c, in, probabilities, dIn, batch);
            check("qkv " + Arrays.toString(shape), in, dIn, forward, y, c);
            for (int row = 0; row < batch * heads; row++) {
                for (int i = 0; i < length; i++) {
                    double sum = 0;
                    for (int j = 0; j < length; j++) {
                        sum += probabilities[(row * length + j) * length + i];
                    }
                    assertEquals(1.0, sum, 1e-6, "attention probabilities of a query sum to 1");
                }
            }
        }
    }
}
