package dev.microdiffusion.core.nn;

import java.util.Objects;

/**
 * A shape-checked view of a row-major int buffer as [d0, d1] — token ids [B, L] — read by (row, position). The
 * buffer is not copied; every index is checked, the buffer's length once.
 */
public final class IntTensor2 {

    private final int[] data;
    private final int d0;
    private final int d1;

    private IntTensor2(int[] data, int d0, int d1) {
        this.data = data;
        this.d0 = d0;
        this.d1 = d1;
    }

    /**
     * A view of the first d0·d1 values of {@code data}.
     *
     * @param data the buffer (may be longer)
     * @param d0   the first dimension (rows of the batch)
     * @param d1   the second (positions)
     * @return the view
     * @throws IllegalArgumentException if a dimension is negative or the buffer is too short
     */
    public static IntTensor2 of(int[] data, int d0, int d1) {
        Objects.requireNonNull(data, "data");
        if (d0 < 0 || d1 < 0 || (long) d0 * d1 > data.length) {
            throw new IllegalArgumentException("a buffer of " + data.length + " ints cannot be viewed as [" + d0 + ", "
                    + d1 + "]");
        }
        return new IntTensor2(data, d0, d1);
    }

    /**
     * The value at (i, j).
     *
     * @param i index in the first dimension
     * @param j index in the second
     * @return the value
     */
    public int get(int i, int j) {
        return data[Objects.checkIndex(i, d0) * d1 + Objects.checkIndex(j, d1)];
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

    @Override
    public String toString() {
        return "IntTensor2[" + d0 + ", " + d1 + "]";
    }
}
