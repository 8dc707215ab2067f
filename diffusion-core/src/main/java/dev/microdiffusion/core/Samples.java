package dev.microdiffusion.core;

import java.util.List;

/**
 * Generated texts with what they cost: the model calls the sampler made and the rows those calls computed. A row is
 * one text's canvas at one step, so {@link #modelEvaluationsPerText()} is the sampler's number of function
 * evaluations (NFE) per text, counted as work done: a row the sampler reused from its cache is not counted, identical
 * rows shared in one call count once, and classifier-free guidance's unconditional twin counts as a second row.
 *
 * @param texts      the texts, in order
 * @param modelCalls forward calls of the denoiser (each on a batch of rows)
 * @param modelRows  rows those calls computed, summed
 */
public record Samples(List<String> texts, long modelCalls, long modelRows) {

    /**
     * Copies the texts and checks the counts.
     *
     * @param texts the texts, in order
     * @param modelCalls forward calls of the denoiser (each on a batch of rows)
     * @param modelRows rows those calls computed, summed
     */
    public Samples {
        texts = List.copyOf(texts);
        if (modelCalls < 0 || modelRows < 0) {
            throw new IllegalArgumentException("counts must be ≥ 0, got " + modelCalls + ", " + modelRows);
        }
    }

    /** {@return rows computed per text, the NFE of one text (0 for no texts)} */
    public double modelEvaluationsPerText() {
        return texts.isEmpty() ? 0 : (double) modelRows / texts.size();
    }
}
