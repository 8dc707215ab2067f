package dev.microdiffusion.core.math;

/**
 * The dense math that denoisers' forward and backward passes (and the training and sampling loops) spend their time in:
 * matrix products on flat row-major {@code float[]} matrices, and the element-wise functions a profile shows matter
 * (GELU, and the exponentials of softmax rows). Every method is stated here once with the
 * numbers it must give; the library's kernels implement it (a plain one and a Panama Vector API one, {@link
 * MatrixKernels}), and a kernel of your own (a timing wrapper, say) implements every method.
 * Arrays may be longer than the matrix they hold (buffers sized for the largest batch); only the leading
 * {@code rows × cols} values are read or written. Implementations must be safe to call from several threads at once
 * on distinct output arrays.
 */
public interface MatrixKernel {

    /** {@return a short name for logs and benchmarks} */
    String name();

    /**
     * C[m×n] = A[m×k] · B[k×n].
     *
     * @param a A, row-major
     * @param b B, row-major
     * @param c receives C, row-major
     * @param m rows of A and C
     * @param k columns of A, rows of B
     * @param n columns of B and C
     */
    void multiply(float[] a, float[] b, float[] c, int m, int k, int n);

    /**
     * C[k×n] += A[m×k]ᵀ · B[m×n] (the weight gradient of a linear layer).
     *
     * @param a A, row-major
     * @param b B, row-major
     * @param c C, row-major, added into
     * @param m rows of A and B
     * @param k columns of A, rows of C
     * @param n columns of B and C
     */
    void multiplyTransposeAAdd(float[] a, float[] b, float[] c, int m, int k, int n);

    /**
     * C[m×n] = A[m×k] · B[n×k]ᵀ (the input gradient of a linear layer).
     *
     * @param a A, row-major
     * @param b B, row-major
     * @param c receives C, row-major
     * @param m rows of A and C
     * @param k columns of A and B
     * @param n rows of B, columns of C
     */
    void multiplyTransposeB(float[] a, float[] b, float[] c, int m, int k, int n);

    /**
     * out[i] = GELU(in[i]) for i &lt; n (the exact, erf form); {@code out} may be {@code in}.
     *
     * @param in the inputs
     * @param out receives the outputs
     * @param n how many
     */
    void gelu(float[] in, float[] out, int n);

    /**
     * dIn[i] = dOut[i]·GELU′(in[i]) for i &lt; n; {@code dIn} may be {@code dOut}.
     *
     * @param in the forward inputs
     * @param dOut the gradient of the outputs
     * @param dIn receives the gradient of the inputs
     * @param n how many
     */
    void geluBackward(float[] in, float[] dOut, float[] dIn, int n);

    /**
     * y[yOffset + i] += a·x[xOffset + i] for i &lt; n (a product then a sum, not fused, so every kernel gives the same
     * bits) — embedding rows gathered and scattered by index, the one-hot first layer of the MLPs.
     *
     * @param a the factor
     * @param x the added vector
     * @param xOffset where it starts in {@code x}
     * @param y the vector added into
     * @param yOffset where it starts in {@code y}
     * @param n how many
     */
    void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int n);

    /**
     * out[outOffset + i] = exp((in[i] − shift[i])·scale) for i &lt; n: the softmax numerators of many rows in one call,
     * each row's max repeated in {@code shift} (the same values as {@link #exp} with that shift and scale).
     *
     * @param in the logits
     * @param shift one shift per value (its row's max)
     * @param scale the factor after the shift (1/τ)
     * @param out receives the numerators
     * @param outOffset where they start in {@code out}
     * @param n how many
     */
    void expShifted(float[] in, float[] shift, float scale, float[] out, int outOffset, int n);

    /**
     * RMSNorm over rows of width d: y = x·r·scale with r = 1/√(mean(x²) + ε), each row's r written to {@code r} (kept
     * for the backward pass). The plain kernel sums the squares left to right.
     *
     * @param x [rows, d] inputs
     * @param scale d learned scales
     * @param y receives [rows, d] outputs
     * @param r receives each row's r
     * @param rows rows
     * @param d the width
     * @param epsilon ε
     */
    void rmsNorm(float[] x, float[] scale, float[] y, float[] r, int rows, int d, float epsilon);

    /**
     * RMSNorm's backward pass: adds dL/dx into {@code dx} and dL/dscale into {@code dScale}, with r from the forward.
     * With a = Σ_j scale_j·dy_j·x_j: dx_i = r·scale_i·dy_i − r³·x_i·a/d, dscale_i = Σ_rows dy_i·x_i·r. The plain
     * kernel sums a left to right.
     *
     * @param dy [rows, d] gradient of the outputs
     * @param x [rows, d] forward inputs
     * @param scale d learned scales
     * @param r each row's r from the forward
     * @param dx [rows, d] input gradient, added into
     * @param dScale d scale gradients, added into
     * @param rows rows
     * @param d the width
     */
    void rmsNormBackward(float[] dy, float[] x, float[] scale, float[] r, float[] dx, float[] dScale, int rows,
            int d);

    /**
     * Bidirectional multi-head scaled dot-product attention. {@code qkv} holds [batch·L, 3d] rows of q | k | v (head h
     * owns columns h·hd … (h+1)·hd − 1 of each, d = heads·hd); for every row b and head h, P = softmax(q kᵀ/√hd) over
     * all L key positions (no mask) and out = P v, written as [batch·L, d] with the heads side by side.
     *
     * <p>{@code probabilities} [batch·heads·L·L] receives P for {@link #attentionBackward}, key-major: P(query i
     * attends to key j) is at ((b·heads + h)·L + j)·L + i, so one query's weights sit one per lane across the key
     * rows. Each softmax takes its max, then exp((s − max)/√hd), then sums over j = 0 … L−1 in float in that order
     * and multiplies by 1/sum (so the lanes of a vector kernel round as this plain form does).
     *
     * @param qkv [batch·L, 3d] rows of q | k | v
     * @param probabilities receives P, batch·heads·L·L values laid out as above
     * @param out receives [batch·L, d]
     * @param batch rows of the batch
     * @param length L
     * @param heads heads
     * @param headDim hd
     */
    void attention(float[] qkv, float[] probabilities, float[] out, int batch, int length, int heads,
            int headDim);

    /**
     * {@link #attention}'s backward pass: writes dL/d(q | k | v) into {@code dQkv} (overwritten, [batch·L, 3d]) from
     * dL/dout [batch·L, d], with P as {@link #attention} left it. With dP = dout vᵀ: dv = Pᵀ dout,
     * dS = P ⊙ (dP − Σ_j P ⊙ dP) / √hd, dq = dS k, dk = dSᵀ q; the row sum Σ_j over j = 0 … L−1 in float.
     *
     * @param dOut [batch·L, d] gradient of the output
     * @param qkv the forward's q | k | v
     * @param probabilities the forward's P
     * @param dQkv receives [batch·L, 3d]
     * @param batch rows of the batch
     * @param length L
     * @param heads heads
     * @param headDim hd
     */
    void attentionBackward(float[] dOut, float[] qkv, float[] probabilities, float[] dQkv, int batch,
            int length, int heads, int headDim);

    /**
     * out[outOffset + i] = exp((in[inOffset + i] − shift)·scale) for i &lt; n — a softmax row's numerators, with the
     * row's max as shift and 1/τ as scale.
     *
     * @param in the logits
     * @param inOffset where the row starts in {@code in}
     * @param shift the row's max
     * @param scale 1/τ
     * @param out receives the numerators
     * @param outOffset where they start in {@code out}
     * @param n the row's length
     * @return Σ out, accumulated in double
     */
    double exp(float[] in, int inOffset, float shift, float scale, float[] out, int outOffset, int n);
}
