package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.spi.Denoiser;
import java.util.Arrays;

/**
 * A {@link Denoiser.Pass}'s own copy of the last forward's token ids and times, which backward needs (the caller may
 * reuse its arrays in between). Checks the batch size against the pass's capacity.
 */
public final class BatchInputs {

    private final int maxBatch;
    private final int length;
    private final int[] tokens;
    private final float[] times;
    private final int[] labels;
    private int batch;

    /**
     * Buffers for batches of up to {@code maxBatch} rows of {@code length} ids.
     *
     * @param maxBatch the most rows captured at once
     * @param length the row length L
     */
    public BatchInputs(int maxBatch, int length) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive, got " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.length = length;
        this.tokens = new int[maxBatch * length];
        this.times = new float[maxBatch];
        this.labels = new int[maxBatch];
    }

    /**
     * Copies the first {@code batch} rows, unlabelled.
     *
     * @param tokens [batch, L] ids
     * @param times one t per row
     * @param batch rows to copy
     */
    public void capture(int[] tokens, float[] times, int batch) {
        capture(tokens, times, null, batch, 0);
    }

    /**
     * Copies the first {@code batch} rows and their labels (null: none, each −1), checking each label is −1 or in
     * 0 .. {@code labelCount}−1.
     *
     * @param tokens [batch, L] ids
     * @param times one t per row
     * @param labels one label id per row, or null
     * @param batch rows to copy
     * @param labelCount the labels the denoiser takes
     */
    public void capture(int[] tokens, float[] times, int[] labels, int batch, int labelCount) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must be in 1.." + maxBatch + ", got " + batch);
        }
        System.arraycopy(tokens, 0, this.tokens, 0, batch * length);
        System.arraycopy(times, 0, this.times, 0, batch);
        if (labels == null) {
            Arrays.fill(this.labels, 0, batch, -1);
        } else {
            for (int b = 0; b < batch; b++) {
                if (labels[b] < -1 || labels[b] >= labelCount) {
                    throw new IllegalArgumentException("label " + labels[b] + " of row " + b + " is not −1 or in 0.."
                            + (labelCount - 1));
                }
            }
            System.arraycopy(labels, 0, this.labels, 0, batch);
        }
        this.batch = batch;
    }

    /** {@return the most rows captured at once} */
    public int maxBatch() {
        return maxBatch;
    }

    /** {@return the captured ids, [batch × length]} */
    public int[] tokens() {
        return tokens;
    }

    /** {@return the captured times, one per row} */
    public float[] times() {
        return times;
    }

    /** {@return the captured labels, −1 where a row has none} */
    public int[] labels() {
        return labels;
    }

    /** {@return the captured batch size; fails when nothing was captured yet (backward before forward)} */
    public int batch() {
        if (batch == 0) {
            throw new IllegalStateException("backward needs a forward first");
        }
        return batch;
    }
}
