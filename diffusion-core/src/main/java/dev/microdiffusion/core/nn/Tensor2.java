package dev.microdiffusion.core.nn;

import java.util.Objects;

/**
 * A shape-checked view of a row-major float buffer as [d0, d1] — an embedding table, a weight, per-row vectors — read
 * and written by (row, column). The buffer is not copied; every index is checked, the buffer's length once.
 */
public final class Tensor2 {

    private final float[] data;
    private final int d0;
    private final int d1;

    private Tensor2(float[] data, int d0, int d1) {
        this.data = data;
        this.d0 = d0;
        this.d1 = d1;
    }

    /**
     * A view of the first d0·d1 values of {@code data}.
     *
     * @param data the buffer (may be longer)
     * @param d0   the first dimension (rows)
     * @param d1   the second (columns)
     * @return the view
     * @throws IllegalArgumentException if a dimension is negative or the buffer is too short
     */
    public static Tensor2 of(float[] data, int d0, int d1) {
        Objects.requireNonNull(data, "data");
        if (d0 < 0 || d1 < 0 || (long) d0 * d1 > data.length) {
            throw new IllegalArgumentException("a buffer of " + data.length + " floats cannot be viewed as [" + d0
                    + ", " + d1 + "]");
        }
        return new Tensor2(data, d0, d1);
    }

    /**
     * The value at (i, j).
     *
     * @param i the row
     * @param j the column
     * @return the value
     */
    public float get(int i, int j) {
        return data[index(i, j)];
    }

    /**
     * Sets the value at (i, j).
     *
     * @param i     the row
     * @param j     the column
     * @param value the value
     */
    public void set(int i, int j, float value) {
        data[index(i, j)] = value;
    }

    /**
     * Adds to the value at (i, j).
     *
     * @param i     the row
     * @param j     the column
     * @param value what to add
     */
    public void add(int i, int j, float value) {
        data[index(i, j)] += value;
    }

    /**
     * Where row i starts in the buffer, for a kernel call over it.
     *
     * @param i the row
     * @return the offset of (i, 0)
     */
    public int offset(int i) {
        return Objects.checkIndex(i, d0) * d1;
    }

    /** {@return the buffer viewed (not a copy)} */
    public float[] data() {
        return data;
    }

    /**
     * A dimension's size.
     *
     * @param dimension 0 or 1
     * @return its size
     */
    public int size(int dimension) {
        return switch (dimension) {
            case 0 -> d0;
            case 1 -> d1;
            default -> throw new IndexOutOfBoundsException("dimension " + dimension + " of 2");
        };
    }

    private int index(int i, int j) {
        return Objects.checkIndex(i, d0) * d1 + Objects.checkIndex(j, d1);
    }

    @Override
    public String toString() {
        return "Tensor2[" + d0 + ", " + d1 + "]";
    }
}
