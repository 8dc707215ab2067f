package dev.microdiffusion.core.math;

/**
 * The dense products that denoisers' forward and backward passes need, on flat row-major {@code float[]} matrices.
 * Arrays may be longer than the matrix they hold (buffers sized for the largest batch); only the leading
 * {@code rows × cols} values are read or written. Implementations must be safe to call from several threads at once
 * on distinct output arrays.
 */
public interface MatrixKernel {

    /** A short name for logs and benchmarks. */
    String name();

    /** C[m×n] = A[m×k] · B[k×n]. */
    void multiply(float[] a, float[] b, float[] c, int m, int k, int n);

    /** C[k×n] += A[m×k]ᵀ · B[m×n] (the weight gradient of a linear layer). */
    void multiplyTransposeAAdd(float[] a, float[] b, float[] c, int m, int k, int n);

    /** C[m×n] = A[m×k] · B[n×k]ᵀ (the input gradient of a linear layer). */
    void multiplyTransposeB(float[] a, float[] b, float[] c, int m, int k, int n);
}
