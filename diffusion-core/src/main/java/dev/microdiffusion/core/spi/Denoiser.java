package dev.microdiffusion.core.spi;

import dev.microdiffusion.core.sampling.RowRandom;
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
     * {@return the provider name this denoiser was made by ("mlp", "transformer"…): by default the one its {@link
     * DenoiserConfig#denoiser() config} carries, which the framework sets when it makes a denoiser by name}
     */
    default String name() {
        return config().denoiser();
    }

    /** {@return what it was built with; enough to build an identical, untrained one} */
    DenoiserConfig config();

    /** {@return V, the ids it predicts (PAD and MASK included)} */
    default int vocabSize() {
        return config().vocabSize();
    }

    /** {@return L, the row length it is built for} */
    default int maxLength() {
        return config().maxLength();
    }

    /**
     * {@return how many labels it is conditioned on (0: unconditional); see {@link Pass#forward(int[], float[], int[],
     * int, float[])}}
     */
    default int labels() {
        return config().labels();
    }

    /** {@return all trainable tensors, in a fixed order} */
    List<Parameter> parameters();

    /** {@return how many trainable numbers it holds} */
    default long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.size();
        }
        return n;
    }

    /**
     * {@return buffers for batches of up to {@code maxBatch} rows}
     *
     * @param maxBatch the most rows a call takes
     */
    Pass newPass(int maxBatch);

    /** One reusable forward/backward computation. */
    interface Pass {

        /** {@return the most rows a call takes} */
        int maxBatch();

        /**
         * Logits for {@code batch} rows: {@code tokens} is [batch, L] row-major, {@code times} holds one t in [0, 1]
         * per row, {@code logits} receives [batch, L, V]. Keeps what {@link #backward} needs.
         *
         * @param tokens [batch, L] ids
         * @param times one t in [0, 1] per row
         * @param batch rows, at most {@link #maxBatch()}
         * @param logits receives [batch, L, V]
         */
        void forward(int[] tokens, float[] times, int batch, float[] logits);

        /**
         * As {@link #forward(int[], float[], int, float[])} with one label per row: {@code labels[b]} in
         * 0 .. {@link Denoiser#labels()}−1, or −1 for none (the null label, on which a conditional denoiser is trained
         * by label dropout: unconditional). {@code labels} null is every row unlabelled. A denoiser that takes no
         * labels accepts only null.
         *
         * @param tokens [batch, L] ids
         * @param times one t in [0, 1] per row
         * @param labels one label id per row (−1: none), or null
         * @param batch rows, at most {@link #maxBatch()}
         * @param logits receives [batch, L, V]
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
         * Makes the following {@link #forward} calls training ones or not. While training, a denoiser with
         * training-only randomness (dropout) draws what it decides for row b of a batch from {@code random.row(b)}
         * alone, so that a row's draws do not depend on which rows share its batch or thread. {@code null}, the state
         * of a new pass, is inference: no randomness. The trainer sets its passes training before their first step and
         * seeds the rows again every step; a denoiser without such randomness ignores the call (the default).
         *
         * @param random each row's stream while training, or null for inference
         */
        default void training(RowRandom random) {
        }

        /**
         * Back-propagates dLoss/dLogits ([batch, L, V], for the batch of the last {@link #forward}) and
         * <em>adds</em> each parameter's gradient into {@code gradients.of(parameter)} (often the parameter's own
         * {@link Parameter#gradient()}: {@link Gradients#OWN}).
         *
         * @param dLogits [batch, L, V]: dLoss/dLogits
         * @param gradients where each parameter's gradient is added
         */
        void backward(float[] dLogits, Gradients gradients);
    }
}
