package dev.microdiffusion.core.internal.math;

import dev.microdiffusion.core.math.MatrixKernel;
import org.ojalgo.matrix.store.R032Store;

/**
 * The portable kernel, on ojAlgo's float multiplication.
 *
 * <p>ojAlgo stores matrices column-major, and a row-major M[r×c] array read column-major is Mᵀ[c×r]. So the
 * row-major C = A·B is computed as the column-major Cᵀ = Bᵀ·Aᵀ over the very same arrays, with no copy. ojAlgo
 * infers dimensions from array lengths, so arrays longer than their matrix, and the one operand each transposed
 * product needs laid out the other way, go through per-thread scratch arrays of exact size, made once per shape.
 */
public final class OjAlgoMatrixKernel implements MatrixKernel {

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    @Override
    public String name() {
        return "ojalgo";
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
