package dev.microdiffusion.transformer;

/**
 * What a {@link TransformerDenoiser} is made of beyond its tokenizer's sizes. The reference's: learned positions, the
 * time as an input, the GELU feed-forward, PyTorch's initialisation. For text: rotary positions (attention that
 * reads distances, for long rows), no time input (a masked diffusion model can read t off its row, Zheng et al.
 * 2024), a gated SwiGLU feed-forward of about the same size; GPT-2's small initialisation when asked for.
 *
 * @param dModel    d
 * @param heads     attention heads, dividing d
 * @param layers    blocks
 * @param dropout   each block's residual dropout while training (0: none)
 * @param rotary    rotary positions instead of a learned position embedding
 * @param timeInput whether the time t is an input (the reference's time embedding)
 * @param gated     a SwiGLU feed-forward ({@link #gatedHidden()} wide) instead of the GELU one 4d wide
 * @param smallInit GPT-2's initialisation (weights N(0, 0.02²)) instead of PyTorch's defaults
 */
public record TransformerShape(int dModel, int heads, int layers, double dropout, boolean rotary, boolean timeInput,
        boolean gated, boolean smallInit) {

    /** The standard deviation of GPT-2's initialisation. */
    public static final double SMALL_STD = 0.02;

    /**
     * Checks the sizes.
     *
     * @param dModel d
     * @param heads heads
     * @param layers blocks
     * @param dropout the dropout probability
     * @param rotary rotary positions
     * @param timeInput the time as an input
     * @param gated the gated feed-forward
     * @param smallInit GPT-2's initialisation
     */
    public TransformerShape {
        if (dModel < 1 || heads < 1 || layers < 1 || dModel % heads != 0) {
            throw new IllegalArgumentException("need d_model, heads, layers ≥ 1 and heads dividing d_model, got "
                    + dModel + ", " + heads + ", " + layers);
        }
        if (rotary && (dModel / heads) % 2 != 0) {
            throw new IllegalArgumentException("rotary positions need an even head size, got " + dModel / heads);
        }
    }

    /**
     * {@return the reference's Transformer of these sizes}
     *
     * @param dModel d
     * @param heads heads
     * @param layers blocks
     * @param dropout the dropout probability
     */
    public static TransformerShape reference(int dModel, int heads, int layers, double dropout) {
        return new TransformerShape(dModel, heads, layers, dropout, false, true, false, false);
    }

    /**
     * {@return the SwiGLU feed-forward's inner width: 8d/3 (the same weights as the GELU one's 4d), rounded up to a
     * multiple of 16 so that vector lanes fill}
     */
    public int gatedHidden() {
        return (8 * dModel / 3 + 15) / 16 * 16;
    }
}
