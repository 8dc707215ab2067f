package dev.microdiffusion.core.nn;

import java.util.Objects;

/**
 * A shape-checked view of a row-major float buffer as [d0, d1, d2] — logits [B, L, V], activations [B, L, D] — so
 * that a pass reads and writes by (row, position, channel) instead of computing offsets. The buffer is not copied:
 * the view reads and writes it. Every index is checked ({@link Objects#checkIndex}, which the JIT compiles to one
 * compare a dimension), and the buffer's length once, when the view is made.
 *
 * <pre>{@code
 * Tensor3 out = Tensor3.of(logits, batch, length, vocab);
 * out.set(b, l, v, score);
 * }</pre>
 */
public final class Tensor3 {

    private final float[] data;
    private final int d0;
    private final int d1;
    private final int d2;

    private Tensor3(float[] data, int d0, int d1, int d2) {
        this.data = data;
        this.d0 = d0;
        this.d1 = d1;
        this.d2 = d2;
    }

    /**
     * A view of the first d0·d1·d2 values of {@code data}.
     *
     * @param data the buffer (may be longer: a pass's buffers hold its largest batch)
     * @param d0   the first dimension (rows of the batch)
     * @param d1   the second (positions)
     * @param d2   the third (symbols or channels)
     * @return the view
     * @throws IllegalArgumentException if a dimension is negative or the buffer is too short
     */
    public static Tensor3 of(float[] data, int d0, int d1, int d2) {
        Objects.requireNonNull(data, "data");
        if (d0 < 0 || d1 < 0 || d2 < 0 || (long) d0 * d1 * d2 > data.length) {
            throw new IllegalArgumentException("a buffer of " + data.length + " floats cannot be viewed as [" + d0
                    + ", " + d1 + ", " + d2 + "]");
        }
        return new Tensor3(data, d0, d1, d2);
    }

    /**
     * The value at (i, j, k).
     *
     * @param i index in the first dimension
     * @param j index in the second
     * @param k index in the third
     * @return the value
     */
    public float get(int i, int j, int k) {
        return data[index(i, j, k)];
    }

    /**
     * Sets the value at (i, j, k).
     *
     * @param i     index in the first dimension
     * @param j     index in the second
     * @param k     index in the third
     * @param value the value
     */
    public void set(int i, int j, int k, float value) {
        data[index(i, j, k)] = value;
    }

    /**
     * Adds to the value at (i, j, k) (a gradient's accumulation).
     *
     * @param i     index in the first dimension
     * @param j     index in the second
     * @param k     index in the third
     * @param value what to add
     */
    public void add(int i, int j, int k, float value) {
        data[index(i, j, k)] += value;
    }

    /**
     * Where the vector (i, j, ·) starts in the buffer, for a kernel call over it.
     *
     * @param i index in the first dimension
     * @param j index in the second
     * @return the offset of (i, j, 0)
     */
    public int offset(int i, int j) {
        return (Objects.checkIndex(i, d0) * d1 + Objects.checkIndex(j, d1)) * d2;
    }

    /** {@return the buffer viewed (not a copy)} */
    public float[] data() {
        return data;
    }

    /**
     * A dimension's size.
     *
     * @param dimension 0, 1 or 2
     * @return its size
     */
    public int size(int dimension) {
        return switch (dimension) {
            case 0 -> d0;
            case 1 -> d1;
            case 2 -> d2;
            default -> throw new IndexOutOfBoundsException("dimension " + dimension + " of 3");
        };
    }

    private int index(int i, int j, int k) {
        return (Objects.checkIndex(i, d0) * d1 + Objects.checkIndex(j, d1)) * d2 + Objects.checkIndex(k, d2);
    }

    @Override
    public String toString() {
        return "Tensor3[" + d0 + ", " + d1 + ", " + d2 + "]";
    }
}
