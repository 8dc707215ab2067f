package dev.microdiffusion.core.math;

import org.ojalgo.matrix.store.R032Store;

/**
 * The portable kernel: products on ojAlgo's float multiplication, every other operation in {@link ScalarKernel}'s
 * plain form.
 *
 * <p>ojAlgo stores matrices column-major, and a row-major M[r×c] array read column-major is Mᵀ[c×r]. So the
 * row-major C = A·B is computed as the column-major Cᵀ = Bᵀ·Aᵀ over the very same arrays, with no copy. ojAlgo
 * infers dimensions from array lengths, so arrays longer than their matrix, and the one operand each transposed
 * product needs laid out the other way, go through per-thread scratch arrays of exact size, made once per shape.
 */
final class OjAlgoMatrixKernel implements MatrixKernel {

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    @Override
    public String name() {
        return "ojalgo";
    }

    @Override
    public void gelu(float[] in, float[] out, int n) {
        ScalarKernel.gelu(in, out, n);
    }

    @Override
    public void geluBackward(float[] in, float[] dOut, float[] dIn, int n) {
        ScalarKernel.geluBackward(in, dOut, dIn, n);
    }

    @Override
    public void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int n) {
        ScalarKernel.axpy(a, x, xOffset, y, yOffset, n);
    }

    @Override
    public void expShifted(float[] in, float[] shift, float scale, float[] out, int outOffset, int n) {
        ScalarKernel.expShifted(in, shift, scale, out, outOffset, n);
    }

    @Override
    public void rmsNorm(float[] x, float[] scale, float[] y, float[] r, int rows, int d, float epsilon) {
        ScalarKernel.rmsNorm(x, scale, y, r, rows, d, epsilon);
    }

    @Override
    public void rmsNormBackward(float[] dy, float[] x, float[] scale, float[] r, float[] dx, float[] dScale,
            int rows, int d) {
        ScalarKernel.rmsNormBackward(dy, x, scale, r, dx, dScale, rows, d);
    }

    @Override
    public void attention(float[] qkv, float[] probabilities, float[] out, int batch, int length, int heads,
            int headDim) {
        ScalarKernel.attention(qkv, probabilities, out, batch, length, heads, headDim);
    }

    @Override
    public void attentionBackward(float[] dOut, float[] qkv, float[] probabilities, float[] dQkv, int batch,
            int length, int heads, int headDim) {
        ScalarKernel.attentionBackward(dOut, qkv, probabilities, dQkv, batch, length, heads, headDim);
    }

    @Override
    public double exp(float[] in, int inOffset, float shift, float scale, float[] out, int outOffset, int n) {
        return ScalarKernel.exp(in, inOffset, shift, scale, out, outOffset, n);
    }

    @Override
    public void multiply(float[] a, float[] b, float[] c, int m, int k, int n) {
        check(a, m * k, "A", b, k * n, "B", c, m * n);
        Scratch s = SCRATCH.get();
        float[] left = exact(b, k * n, s, 0);
        float[] right = exact(a, m * k, s, 1);
        float[] product = c.length == m * n ? c : s.get(2, m * n);
        // column-major: product[n×m] = left[n×k] · right[k×m]
        columnMajorProduct(product, n, left, k, right);
        if (product != c) {
            System.arraycopy(product, 0, c, 0, m * n);
        }
    }

    @Override
    public void multiplyTransposeAAdd(float[] a, float[] b, float[] c, int m, int k, int n) {
        check(a, m * k, "A", b, m * n, "B", c, k * n);
        Scratch s = SCRATCH.get();
        // column-major: Cᵀ[n×k] = Bᵀ[n×m] · A[m×k]; Bᵀ is B's array, A column-major is A's array transposed
        float[] left = exact(b, m * n, s, 0);
        float[] right = transpose(a, m, k, s.get(1, m * k));
        float[] product = s.get(2, k * n);
        columnMajorProduct(product, n, left, m, right);
        for (int i = 0, size = k * n; i < size; i++) {
            c[i] += product[i];
        }
    }

    @Override
    public void multiplyTransposeB(float[] a, float[] b, float[] c, int m, int k, int n) {
        check(a, m * k, "A", b, n * k, "B", c, m * n);
        Scratch s = SCRATCH.get();
        // column-major: Cᵀ[n×m] = B[n×k] · Aᵀ[k×m]; B column-major is B's array transposed, Aᵀ is A's array
        float[] left = transpose(b, n, k, s.get(0, n * k));
        float[] right = exact(a, m * k, s, 1);
        float[] product = c.length == m * n ? c : s.get(2, m * n);
        columnMajorProduct(product, n, left, k, right);
        if (product != c) {
            System.arraycopy(product, 0, c, 0, m * n);
        }
    }

    /** The array itself when it has exactly {@code size} values, else a scratch copy of its first {@code size}. */
    private static float[] exact(float[] array, int size, Scratch s, int slot) {
        if (array.length == size) {
            return array;
        }
        float[] copy = s.get(slot, size);
        System.arraycopy(array, 0, copy, 0, size);
        return copy;
    }

    /** Writes row-major M[rows×cols] column-major into {@code out}. */
    private static float[] transpose(float[] m, int rows, int cols, float[] out) {
        for (int i = 0; i < rows; i++) {
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = m[row + j];
            }
        }
        return out;
    }

    private static void check(float[] a, int aSize, String aName, float[] b, int bSize, String bName, float[] c, int cSize) {
        if (a.length < aSize || b.length < bSize || c.length < cSize) {
            throw new IllegalArgumentException("matrix arrays too short: " + aName + " " + a.length + "/" + aSize + ", "
                    + bName + " " + b.length + "/" + bSize + ", C " + c.length + "/" + cSize);
        }
    }

    /** Exact-size arrays per slot; shapes repeat every step, so a handful per slot are kept. */
    private static final class Scratch {
        private static final int PER_SLOT = 8;
        private final float[][][] slots = new float[3][PER_SLOT][];
        private final int[] next = new int[3];

        float[] get(int slot, int size) {
            float[][] arrays = slots[slot];
            for (float[] array : arrays) {
                if (array != null && array.length == size) {
                    return array;
                }
            }
            float[] made = new float[size];
            arrays[next[slot]] = made;
            next[slot] = (next[slot] + 1) % PER_SLOT;
            return made;
        }
    }

    /**
     * product[rows×·] = left[rows×k]·right[k×·], all column-major and of exact size, through ojAlgo's exported
     * store API (which runs the same multiplication as its internal operation would).
     */
    private static void columnMajorProduct(float[] product, int rows, float[] left, int k, float[] right) {
        R032Store.wrap(product, rows).fillByMultiplying(R032Store.wrap(left, rows), R032Store.wrap(right, k));
    }
}
