package dev.microdiffusion.core.evaluation;

/**
 * A fixed order in which a row's positions are revealed one at a time. A masked diffusion model's conditionals taken
 * in a fixed order form an autoregressive model over whole rows — p(x) = Π_i p(x_{σ(i)} | x_{σ(&lt;i)}), each factor
 * the denoiser's prediction at σ(i) with σ(≥ i) masked — so the product is an exact likelihood of that model, to put
 * beside the NELBO bound (see {@link OrderedLikelihood}).
 */
public enum DecodingOrder {
    /** 0, 1, …, L−1: as an autoregressive character model reads. */
    LEFT_TO_RIGHT,
    /** L−1, …, 1, 0: the row's end first. */
    RIGHT_TO_LEFT,
    /** 0, L−1, 1, L−2, …: both ends, then inwards. */
    OUTSIDE_IN;

    /**
     * The positions of a row in this order.
     *
     * @param length the row length L
     * @return σ(0), …, σ(L−1)
     */
    public int[] positions(int length) {
        int[] order = new int[length];
        for (int i = 0; i < length; i++) {
            order[i] = switch (this) {
                case LEFT_TO_RIGHT -> i;
                case RIGHT_TO_LEFT -> length - 1 - i;
                case OUTSIDE_IN -> i % 2 == 0 ? i / 2 : length - 1 - i / 2;
            };
        }
        return order;
    }
}
