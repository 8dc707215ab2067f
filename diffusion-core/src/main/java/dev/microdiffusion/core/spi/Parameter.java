package dev.microdiffusion.core.spi;

import dev.microdiffusion.core.util.AllocationBudget;
import java.util.Arrays;

/**
 * A named, trainable tensor: flat row-major float values and a gradient of the same size. Denoisers hand out their
 * parameters; optimisers and checkpoints work on them without knowing the model.
 */
public final class Parameter {

    /** What a tensor is; optimisers and gradient clipping may treat kinds differently. */
    public enum Kind {
        /** A matrix of a linear layer. */
        WEIGHT,
        /** A bias vector. */
        BIAS,
        /** A lookup table (rows gathered by token id or position). */
        EMBEDDING,
        /** A normalisation layer's gain. */
        SCALE
    }

    private final String name;
    private final int[] shape;
    private final Kind kind;
    private final float[] values;
    private final float[] gradient;

    /**
     * A zeroed tensor of this shape, with a zeroed gradient.
     *
     * @param name its PyTorch-style name ({@code layers.0.attn.qkv.weight})
     * @param kind what it is
     * @param shape its dimensions, row-major
     */
    public Parameter(String name, Kind kind, int... shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException(name + ": a parameter needs at least one dimension");
        }
        long size = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + ": dimensions must be positive, got " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": too large, " + Arrays.toString(shape));
        }
        // a loader bounds what a file can make it allocate by the file's size
        AllocationBudget.charge("parameter " + name, size);
        this.name = name;
        this.kind = kind;
        this.shape = shape.clone();
        this.values = new float[(int) size];
        this.gradient = new float[(int) size];
    }

    /** {@return its PyTorch-style name} */
    public String name() {
        return name;
    }

    /** {@return what it is} */
    public Kind kind() {
        return kind;
    }

    /** {@return its dimensions (a copy)} */
    public int[] shape() {
        return shape.clone();
    }

    /** {@return how many values it holds} */
    public int size() {
        return values.length;
    }

    /** {@return the live values (not a copy): writing them changes the model} */
    public float[] values() {
        return values;
    }

    /** {@return the live gradient accumulator} */
    public float[] gradient() {
        return gradient;
    }

    /** Sets every gradient entry to 0. */
    public void zeroGradient() {
        Arrays.fill(gradient, 0f);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
