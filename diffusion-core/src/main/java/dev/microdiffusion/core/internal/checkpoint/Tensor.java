package dev.microdiffusion.core.internal.checkpoint;

import java.util.Arrays;

/**
 * A named tensor to write: F32 values (model and optimiser state) or F64 ones (loss history), row-major.
 */
public record Tensor(String name, SafeTensors.DType dtype, int[] shape, float[] floats, double[] doubles) {

    public Tensor {
        shape = shape.clone();
        long elements = SafeTensors.elements(shape);
        long have = dtype == SafeTensors.DType.F32 ? floats.length : doubles.length;
        if (elements != have) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + elements
                    + " values, the data " + have);
        }
    }

    public static Tensor f32(String name, int[] shape, float[] values) {
        return new Tensor(name, SafeTensors.DType.F32, shape, values, null);
    }

    public static Tensor f64(String name, int[] shape, double[] values) {
        return new Tensor(name, SafeTensors.DType.F64, shape, null, values);
    }

    long byteSize() {
        return SafeTensors.elements(shape) * dtype.bytes();
    }
}
