package dev.microdiffusion.core.nn;

/**
 * How each {@link TransformerBlock} is made beyond its sizes: residual dropout while training, rotary positions in
 * its attention, and its feed-forward — the reference's GELU one 4d wide, or a gated SwiGLU one.
 *
 * @param dropout     the probability each branch output value is dropped while training (0: none)
 * @param rotary      rotary positions for q and k, or null for none (the positions then come from the input)
 * @param gatedHidden 0 for the GELU feed-forward, else the inner width of a {@link SwiGlu} one
 */
public record BlockOptions(double dropout, Rotary rotary, int gatedHidden) {

    /** The reference's blocks: no dropout, no rotary positions, the GELU feed-forward. */
    public static final BlockOptions REFERENCE = new BlockOptions(0, null, 0);

    /**
     * Checks the values.
     *
     * @param dropout the dropout probability
     * @param rotary rotary positions, or null
     * @param gatedHidden the gated feed-forward's inner width, or 0
     */
    public BlockOptions {
        if (gatedHidden < 0) {
            throw new IllegalArgumentException("the gated feed-forward's width must be ≥ 0, got " + gatedHidden);
        }
    }

    /**
     * {@return the reference's blocks with residual dropout}
     *
     * @param dropout the dropout probability
     */
    public static BlockOptions dropout(double dropout) {
        return new BlockOptions(dropout, null, 0);
    }
}
