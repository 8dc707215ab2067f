package dev.microdiffusion.mlp;

import dev.microdiffusion.core.math.MatrixKernel;

/**
 * The first layer of an MLP over x = one-hot(tokens) ‖ t, without materialising x. Row {@code pos·V + token} of
 * W[L·V + 1, H] is what one-hot position {@code pos} selects and row {@code L·V} is t's, so
 * x·W = Σ_pos W[pos·V + token_pos] + t·W[L·V]: L + 1 row additions instead of an (L·V + 1)-long dot product per unit.
 */
final class OneHotInput {

    private OneHotInput() {
    }

    /** out[b] = bias + Σ_pos W[pos·V + tokens[b, pos]] + t[b]·W[L·V], for each row b. */
    static void gather(MatrixKernel kernel, float[] w, float[] bias, int[] tokens, float[] times, int batch, int length,
            int vocab, int hidden, float[] out) {
        int timeRow = length * vocab * hidden;
        for (int b = 0; b < batch; b++) {
            int o = b * hidden;
            System.arraycopy(bias, 0, out, o, hidden);
            kernel.axpy(times[b], w, timeRow, out, o, hidden);
            for (int pos = 0; pos < length; pos++) {
                int row = (pos * vocab + tokens[b * length + pos]) * hidden;
                kernel.axpy(1f, w, row, out, o, hidden);
            }
        }
    }

    /** The matching gradient: dW[pos·V + tokens[b, pos]] += dOut[b] and dW[L·V] += t[b]·dOut[b]. */
    static void scatter(MatrixKernel kernel, float[] dW, float[] dOut, int[] tokens, float[] times, int batch,
            int length, int vocab, int hidden) {
        int timeRow = length * vocab * hidden;
        for (int b = 0; b < batch; b++) {
            int o = b * hidden;
            for (int pos = 0; pos < length; pos++) {
                int row = (pos * vocab + tokens[b * length + pos]) * hidden;
                kernel.axpy(1f, dOut, o, dW, row, hidden);
            }
            kernel.axpy(times[b], dOut, o, dW, timeRow, hidden);
        }
    }
}
