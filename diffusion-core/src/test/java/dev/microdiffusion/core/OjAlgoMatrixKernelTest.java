package dev.microdiffusion.core;

import static dev.microdiffusion.core.Matrices.assertClose;
import static dev.microdiffusion.core.Matrices.random;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ojAlgo kernel against plain triple loops in double, on odd shapes and on arrays longer than their matrix. */
class OjAlgoMatrixKernelTest {

    private final MatrixKernel kernel = MatrixKernels.portable();

    @ParameterizedTest
    @CsvSource({"1,1,1,0", "3,5,7,0", "64,33,17,0", "40,256,336,0", "7,337,256,5", "65,64,192,11", "2,1,9,3"})
    void allThreeProductsMatchPlainLoops(int m, int k, int n, int extra) {
        Random random = new Random(m * 31L + k * 7L + n);
        float[] a = random(random, m * k + extra);
        float[] b = random(random, k * n + extra);
        float[] c = new float[m * n + extra];
        kernel.multiply(a, b, c, m, k, n);
        assertClose(naive(a, false, b, false, m, k, n), c, m * n, k);

        // C[k×n] += Aᵀ·B with A [m×k], B [m×n]
        float[] bt = random(random, m * n + extra);
        float[] acc = random(random, k * n + extra);
        float[] expected = naive(a, true, bt, false, k, m, n);
        for (int i = 0; i < k * n; i++) {
            expected[i] += acc[i];
        }
        kernel.multiplyTransposeAAdd(a, bt, acc, m, k, n);
        assertClose(expected, acc, k * n, m);

        // C[m×n] = A·Bᵀ with B [n×k]
        float[] bn = random(random, n * k + extra);
        float[] out = new float[m * n + extra];
        kernel.multiplyTransposeB(a, bn, out, m, k, n);
        assertClose(naive(a, false, bn, true, m, k, n), out, m * n, k);
    }

    /** C[rows×cols] = op(X)·op(Y) with inner dimension {@code inner}, from the row-major arrays. */
    private static float[] naive(float[] x, boolean transposeX, float[] y, boolean transposeY, int rows, int inner, int cols) {
        float[] c = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int p = 0; p < inner; p++) {
                    double xv = transposeX ? x[p * rows + i] : x[i * inner + p];
                    double yv = transposeY ? y[j * inner + p] : y[p * cols + j];
                    sum += xv * yv;
                }
                c[i * cols + j] = (float) sum;
            }
        }
        return c;
    }
}
