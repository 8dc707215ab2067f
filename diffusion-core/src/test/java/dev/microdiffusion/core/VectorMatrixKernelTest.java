package dev.microdiffusion.core;

import static dev.microdiffusion.core.Matrices.assertClose;
import static dev.microdiffusion.core.Matrices.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Vector API kernel against the portable ojAlgo kernel, on the model's shapes and on odd sizes with tails. */
class VectorMatrixKernelTest {

    private final MatrixKernel vector = MatrixKernels.vector().orElse(null);
    private final MatrixKernel portable = MatrixKernels.portable();

    @Test
    void testsRunWithTheVectorModuleSoThePreferredKernelIsTheFastOne() {
        assertNotNull(vector, "surefire passes --add-modules jdk.incubator.vector");
        assertEquals("vector", MatrixKernels.preferred().name());
    }

    @ParameterizedTest
    @CsvSource({"1,1,1,0", "3,5,7,0", "4,16,32,0", "5,17,33,3", "64,337,256,0", "64,256,336,0", "1024,64,192,0",
            "1024,64,28,0", "7,3,47,9", "64,33,17,1", "2,300,1,0", "16,16,16,0", "9,16,20,2"})
    void agreesWithThePortableKernel(int m, int k, int n, int extra) {
        Random random = new Random(31L * m + 7L * k + n);
        float[] a = random(random, m * k + extra);
        float[] b = random(random, k * n + extra);
        float[] fast = new float[m * n + extra];
        float[] plain = new float[m * n + extra];
        vector.multiply(a, b, fast, m, k, n);
        portable.multiply(a, b, plain, m, k, n);
        assertClose(plain, fast, m * n, k);

        float[] bm = random(random, m * n + extra);
        float[] accFast = random(new Random(1), k * n + extra);
        float[] accPlain = accFast.clone();
        vector.multiplyTransposeAAdd(a, bm, accFast, m, k, n);
        portable.multiplyTransposeAAdd(a, bm, accPlain, m, k, n);
        assertClose(accPlain, accFast, k * n, m);
        assertArrayEquals(Arrays.copyOfRange(accPlain, k * n, k * n + extra),
                Arrays.copyOfRange(accFast, k * n, k * n + extra), "values past the matrix are not touched");

        float[] bn = random(random, n * k + extra);
        vector.multiplyTransposeB(a, bn, fast, m, k, n);
        portable.multiplyTransposeB(a, bn, plain, m, k, n);
        assertClose(plain, fast, m * n, k);
    }

    /**
     * Every element of C += Aᵀ·B is C + one fused chain over i in increasing order, to the bit, whichever path computes
     * it: the row-chunked panels of tall products (the Transformer's weight gradients), the eight- and four-column
     * groups, the one-vector columns and the scalar tail.
     */
    @ParameterizedTest
    @CsvSource({"1024,64,192", "1024,256,64", "1024,20,64", "1024,13,77", "640,20,48", "64,337,256", "64,30,64", "9,5,3"})
    void multiplyTransposeAAddIsOneFusedChainPerElement(int m, int k, int n) {
        Random random = new Random(17L * m + k + 3L * n);
        float[] a = random(random, m * k);
        float[] b = random(random, m * n);
        float[] c = random(random, k * n);
        // Aᵀ·B: element (p, j) is the chain over i of A[i, p]·B[i, j]
        float[] expected = fusedChains(a, 1, k, b, n, 1, k, m, n);
        for (int e = 0; e < k * n; e++) {
            expected[e] = c[e] + expected[e];
        }
        vector.multiplyTransposeAAdd(a, b, c, m, k, n);
        assertArrayEquals(expected, c);
    }

    /**
     * Every element of C = A·B and of C = A·Bᵀ is one fused chain over p in increasing order, to the bit, whichever
     * path computes it. A·B: six rows against four vectors (every column in four-vector panels), twelve, eight and four
     * rows against two, the one-vector columns, the zero-padded tail, single rows. A·Bᵀ: B transposed (many rows: the
     * Transformer's forward) and Cᵀ = B·Aᵀ (few rows against a large B: the MLPs' backward, one name).
     */
    @ParameterizedTest
    @CsvSource({"AB,1024,64,64", "AB,1024,256,64", "AB,50,16,64", "AB,1024,64,48", "AB,64,256,336", "AB,64,337,256",
            "AB,16,64,64", "AB,7,3,47", "AB,9,16,20", "AB,1,5,1", "ABt,1024,64,192", "ABt,64,64,64", "ABt,64,336,256",
            "ABt,64,256,256", "ABt,32,336,256", "ABt,16,64,192", "ABt,1,64,28", "ABt,5,17,33", "ABt,3,40,200",
            "ABt,1,1,1"})
    void productsAreOneFusedChainPerElement(String product, int m, int k, int n) {
        Random random = new Random(11L * m + k + 7L * n + product.length());
        float[] a = random(random, m * k);
        float[] b = random(random, k * n);
        float[] c = new float[m * n];
        if (product.equals("AB")) {
            vector.multiply(a, b, c, m, k, n);
            assertArrayEquals(fusedChains(a, k, 1, b, n, 1, m, k, n), c);
        } else {
            vector.multiplyTransposeB(a, b, c, m, k, n);
            assertArrayEquals(fusedChains(a, k, 1, b, 1, k, m, k, n), c);
        }
    }

    /**
     * C[rows × columns], element (r, j) the fused chain Σ_q x[r·xRow + q·xInner]·y[q·yInner + j·yColumn] over q in
     * increasing order: every product of the kernel, its operands read with their strides.
     */
    private static float[] fusedChains(float[] x, int xRow, int xInner, float[] y, int yInner, int yColumn, int rows,
            int inner, int columns) {
        float[] c = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < columns; j++) {
                float chain = 0f;
                for (int q = 0; q < inner; q++) {
                    chain = Math.fma(x[r * xRow + q * xInner], y[q * yInner + j * yColumn], chain);
                }
                c[r * columns + j] = chain;
            }
        }
        return c;
    }

    /** A row's result does not depend on which rows are computed with it (8- and 4-row blocks, the remainder). */
    @ParameterizedTest
    @CsvSource({"64", "48", "16", "7"})
    void rmsNormAgreesWithThePortableKernel(int d) {
        Random random = new Random(d);
        int rows = 5;
        float[] x = random(random, rows * d);
        float[] scale = random(random, d);
        float[] yFast = new float[rows * d];
        float[] yPlain = new float[rows * d];
        float[] rFast = new float[rows];
        float[] rPlain = new float[rows];
        vector.rmsNorm(x, scale, yFast, rFast, rows, d, 1e-8f);
        portable.rmsNorm(x, scale, yPlain, rPlain, rows, d, 1e-8f);
        for (int row = 0; row < rows; row++) {
            double sum = 0;
            for (int i = 0; i < d; i++) {
                sum += (double) x[row * d + i] * x[row * d + i];
            }
            assertEquals(1 / Math.sqrt(sum / d + 1e-8), rFast[row], 1e-6 * rFast[row], "r of row " + row);
            assertEquals(rPlain[row], rFast[row], 1e-6f * rPlain[row]);
        }
        for (int i = 0; i < rows * d; i++) {
            assertEquals(yPlain[i], yFast[i], 1e-5f * (1 + Math.abs(yPlain[i])), "y at " + i);
        }
        float[] dy = random(random, rows * d);
        float[] dxFast = random(new Random(2), rows * d);
        float[] dxPlain = dxFast.clone();
        float[] dScaleFast = random(new Random(3), d);
        float[] dScalePlain = dScaleFast.clone();
        vector.rmsNormBackward(dy, x, scale, rPlain, dxFast, dScaleFast, rows, d);
        portable.rmsNormBackward(dy, x, scale, rPlain, dxPlain, dScalePlain, rows, d);
        for (int i = 0; i < rows * d; i++) {
            assertEquals(dxPlain[i], dxFast[i], 1e-5f * (1 + Math.abs(dxPlain[i])), "dx at " + i);
        }
        Assertions.assertArrayEquals(dScalePlain, dScaleFast, "dScale: the same roundings");
    }

    @ParameterizedTest
    @CsvSource({"1", "15", "16", "33", "256"})
    void axpyGivesThePortableKernelsBitsAndTouchesNothingElse(int n) {
        Random random = new Random(n);
        float[] x = random(random, n + 5);
        float[] fast = random(new Random(9), n + 7);
        float[] plain = fast.clone();
        vector.axpy(0.37f, x, 2, fast, 3, n);
        portable.axpy(0.37f, x, 2, plain, 3, n);
        assertArrayEquals(plain, fast);
    }

    @ParameterizedTest
    @CsvSource({"7,45", "17,45", "17,20", "16,16"})
    void eachRowIsTheSameWhateverTheBatch(int m, int n) {
        Random random = new Random(3);
        int k = 70;
        float[] a = random(random, m * k);
        float[] b = random(random, k * n);
        float[] all = new float[m * n];
        vector.multiply(a, b, all, m, k, n);
        for (int row = 0; row < m; row++) {
            float[] one = new float[n];
            vector.multiply(Arrays.copyOfRange(a, row * k, (row + 1) * k), b, one, 1, k, n);
            assertArrayEquals(Arrays.copyOfRange(all, row * n, (row + 1) * n), one, "row " + row);
        }
    }

    @ParameterizedTest
    @CsvSource({"1", "15", "16", "28", "100", "4096"})
    void geluAndItsDerivativeAgreeWithTheScalarReference(int n) {
        Random random = new Random(n);
        float[] x = new float[n];
        float[] dOut = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (4 * random.nextGaussian());
            dOut[i] = (float) random.nextGaussian();
        }
        x[0] = 0f;
        float[] fast = new float[n];
        float[] plain = new float[n];
        vector.gelu(x, fast, n);
        portable.gelu(x, plain, n);
        for (int i = 0; i < n; i++) {
            assertEquals(plain[i], fast[i], 2e-6 * Math.max(1, Math.abs(plain[i])), "gelu(" + x[i] + ")");
        }
        vector.geluBackward(x, dOut, fast, n);
        portable.geluBackward(x, dOut, plain, n);
        for (int i = 0; i < n; i++) {
            assertEquals(plain[i], fast[i], 2e-6 * Math.max(1, Math.abs(plain[i])), "gelu'(" + x[i] + ")");
        }
        float[] inPlace = x.clone();
        vector.gelu(inPlace, inPlace, n);
        vector.gelu(x, fast, n);
        assertArrayEquals(fast, inPlace, "in place gives the same");
    }

    /** The vector kernel's own erf (a rational fit) against Commons Math's, on a fine grid through both tails. */
    @Test
    void geluIsWithinAFewUlpOfTheExactOne() {
        int n = 200_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -10f + 20f * i / (n - 1);
        }
        float[] y = new float[n];
        float[] dy = new float[n];
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        vector.gelu(x, y, n);
        vector.geluBackward(x, ones, dy, n);
        for (int i = 0; i < n; i++) {
            double cdf = 0.5 * (1 + Erf.erf(x[i] / Math.sqrt(2)));
            double pdf = Math.exp(-0.5 * x[i] * x[i]) / Math.sqrt(2 * Math.PI);
            assertEquals(x[i] * cdf, y[i], 3e-7 * Math.max(1, Math.abs(x[i])), "gelu(" + x[i] + ")");
            assertEquals(cdf + x[i] * pdf, dy[i], 5e-7, "gelu'(" + x[i] + ")");
        }
    }

    @ParameterizedTest
    @CsvSource({"1", "7", "16", "28", "33"})
    void softmaxExponentialsAgreeWithTheScalarReference(int n) {
        Random random = new Random(n);
        float[] in = new float[n + 5];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) (3 * random.nextGaussian());
        }
        float[] fast = new float[n + 9];
        float[] plain = new float[n + 9];
        Arrays.fill(fast, -1f);
        Arrays.fill(plain, -1f);
        double fastSum = vector.exp(in, 3, 1.5f, 1.25f, fast, 4, n);
        double plainSum = portable.exp(in, 3, 1.5f, 1.25f, plain, 4, n);
        assertEquals(plainSum, fastSum, 1e-5 * plainSum);
        for (int i = 0; i < fast.length; i++) {
            assertEquals(plain[i], fast[i], 1e-5 * Math.max(1, Math.abs(plain[i])), "element " + i);
        }
    }

    /** Vector-path shapes (L and hd multiples of the lanes) and odd ones (the plain form); only exp's bits differ. */
    @ParameterizedTest
    @CsvSource({"3,16,4,16", "2,32,2,16", "1,16,1,32", "2,5,3,2", "1,16,2,3"})
    void attentionAgreesWithThePortableKernel(int batch, int length, int heads, int headDim) {
        Random random = new Random(length * 31L + headDim);
        int d = heads * headDim;
        float[] qkv = random(random, batch * length * 3 * d);
        float[] dOut = random(random, batch * length * d);
        int pSize = batch * heads * length * length;
        float[] pFast = new float[pSize];
        float[] pPlain = new float[pSize];
        float[] outFast = new float[batch * length * d + 3];
        float[] outPlain = outFast.clone();
        vector.attention(qkv, pFast, outFast, batch, length, heads, headDim);
        portable.attention(qkv, pPlain, outPlain, batch, length, heads, headDim);
        assertClose(pPlain, pFast, pSize, length);
        assertClose(outPlain, outFast, outFast.length, length);

        float[] dFast = random(new Random(5), qkv.length + 3);
        float[] dPlain = random(new Random(6), qkv.length + 3);
        vector.attentionBackward(dOut, qkv, pPlain, dFast, batch, length, heads, headDim);
        portable.attentionBackward(dOut, qkv, pPlain, dPlain, batch, length, heads, headDim);
        assertClose(dPlain, dFast, qkv.length, length * headDim);
        // with the same P, the backward's sums run in the same order and fused: the same bits
        assertArrayEquals(Arrays.copyOf(dPlain, qkv.length), Arrays.copyOf(dFast, qkv.length));
    }

    @Test
    void attentionRefusesShortArraysByName() {
        for (MatrixKernel kernel : new MatrixKernel[] {vector, portable}) {
            float[] qkv = new float[2 * 16 * 3 * 32];
            float[] p = new float[2 * 2 * 16 * 16];
            IllegalArgumentException e = Assertions.assertThrows(IllegalArgumentException.class,
                    () -> kernel.attention(qkv, p, new float[10], 2, 16, 2, 16));
            Assertions.assertTrue(e.getMessage().contains("out 10/1024"), e.getMessage());
            Assertions.assertThrows(IllegalArgumentException.class,
                    () -> kernel.attentionBackward(new float[1024], qkv, new float[5], new float[qkv.length], 2, 16, 2,
                            16));
        }
    }
}
