package dev.microdiffusion.core.spi;

import java.util.List;

/**
 * A model of p(x0 | x_t, t): from token ids [B, L] (MASK where a token is hidden) and a time t per row it gives
 * logits [B, L, V] over the clean token at every position.
 *
 * <p>Computation runs in a {@link Pass}: the buffers of one forward and backward for batches of up to
 * {@code maxBatch} rows, made once and reused on every call. A pass is not thread-safe; give each thread its own.
 * Parameters are shared by all passes of a denoiser.
 */
public interface Denoiser {

    /**
     * The provider name this denoiser was made by ("mlp", "transformer"…): by default the one its
     * {@link DenoiserConfig#denoiser() config} carries, which the framework sets when it makes a denoiser by name.
     */
    default String name() {
        return config().denoiser();
    }

    /** What it was built with; enough to build an identical, untrained one. */
    DenoiserConfig config();

    default int vocabSize() {
        return config().vocabSize();
    }

    default int maxLength() {
        return config().maxLength();
    }

    /** How many labels it is conditioned on (0: unconditional); see {@link Pass#forward(int[], float[], int[], int, float[])}. */
    default int labels() {
        return config().labels();
    }

    /** All trainable tensors, in a fixed order. */
    List<Parameter> parameters();

    default long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.size();
        }
        return n;
    }

    /** Buffers for batches of up to {@code maxBatch} rows. */
    Pass newPass(int maxBatch);

    /** One reusable forward/backward computation. */
    interface Pass {

        int maxBatch();

        /**
         * Logits for {@code batch} rows: {@code tokens} is [batch, L] row-major, {@code times} holds one t in [0, 1]
         * per row, {@code logits} receives [batch, L, V]. Keeps what {@link #backward} needs.
         */
        void forward(int[] tokens, float[] times, int batch, float[] logits);

        /**
         * As {@link #forward(int[], float[], int, float[])} with one label per row: {@code labels[b]} in
         * 0 .. {@link Denoiser#labels()}−1, or −1 for none (the null label, on which a conditional denoiser is trained
         * by label dropout: unconditional). {@code labels} null is every row unlabelled. A denoiser that takes no
         * labels accepts only null.
         */
        default void forward(int[] tokens, float[] times, int[] labels, int batch, float[] logits) {
            if (labels != null) {
                for (int b = 0; b < batch; b++) {
                    if (labels[b] != -1) {
                        throw new UnsupportedOperationException("this denoiser takes no labels");
                    }
                }
            }
            forward(tokens, times, batch, logits);
        }

        /**
         * Back-propagates dLoss/dLogits ([batch, L, V], for the batch of the last {@link #forward}) and
         * <em>adds</em> each parameter's gradient into {@code gradients.of(parameter)} (often the parameter's own
         * {@link Parameter#gradient()}: {@link Gradients#OWN}).
         */
        void backward(float[] dLogits, Gradients gradients);
    }
}
