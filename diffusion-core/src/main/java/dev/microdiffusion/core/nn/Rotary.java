package dev.microdiffusion.core.nn;

/**
 * Rotary position embeddings (Su et al., RoFormer), in the rotate-half form of GPT-NeoX, LLaMA and MDLM's DDiT: within
 * each head of q and k, dimension i is paired with i + hd/2 and the pair is turned by the angle p·θ_i of its position
 * p, θ_i = base^(−2i/hd). Attention scores then depend on how far apart two positions are, not on where they stand.
 * Applied in place to the q and k columns of [rows, 3d] q | k | v rows (v untouched); position p of a row is its
 * index modulo L. No parameters: the angles' cosines and sines are a table made once.
 */
public final class Rotary {

    /** The base of the angles in the reference models (θ 10,000). */
    public static final double DEFAULT_BASE = 10_000;

    private final int length;
    private final int headDim;
    private final int half;
    /** cos and sin of p·θ_i at [p·half + i]. */
    private final float[] cos;
    private final float[] sin;

    /**
     * The table for rows of {@code length} positions and heads of {@code headDim} dimensions.
     *
     * @param length  L
     * @param headDim hd, even
     * @param base    the base of the angles (10,000 for most models; LLaMA 3 and Dream use larger)
     */
    public Rotary(int length, int headDim, double base) {
        if (length < 1 || headDim < 2 || headDim % 2 != 0 || !(base > 1) || !Double.isFinite(base)) {
            throw new IllegalArgumentException("rotary positions need L ≥ 1, an even head size and a finite base > 1, "
                    + "got " + length + ", " + headDim + ", " + base);
        }
        this.length = length;
        this.headDim = headDim;
        this.half = headDim / 2;
        this.cos = new float[length * half];
        this.sin = new float[length * half];
        for (int i = 0; i < half; i++) {
            // as the reference code computes it: inv_freq = 1 / base^(2i/hd) in float, angles p·inv_freq
            float inverse = (float) (1.0 / Math.pow(base, (2.0 * i) / headDim));
            for (int p = 0; p < length; p++) {
                float angle = p * inverse;
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
    }

    /** {@return the head size the table is for} */
    public int headDim() {
        return headDim;
    }

    /** {@return the row length the table is for} */
    public int length() {
        return length;
    }

    /**
     * Turns the q and k of {@code rows} rows of q | k | v by their positions' angles, in place.
     *
     * @param qkv   [rows, 3d]
     * @param rows  rows (a whole number of sequences of L)
     * @param width d, a multiple of the head size
     */
    public void rotate(float[] qkv, int rows, int width) {
        turn(qkv, rows, width, 1f);
    }

    /**
     * The backward of {@link #rotate}: turns the gradients of the rotated q and k back by the same angles (the
     * rotation's transpose), in place, giving those of the q and k before it.
     *
     * @param dQkv  [rows, 3d] gradients
     * @param rows  rows
     * @param width d
     */
    public void rotateBack(float[] dQkv, int rows, int width) {
        turn(dQkv, rows, width, -1f);
    }

    private void turn(float[] qkv, int rows, int width, float direction) {
        if (width % headDim != 0) {
            throw new IllegalArgumentException("the width " + width + " is not a whole number of heads of " + headDim);
        }
        int stride = 3 * width;
        for (int r = 0; r < rows; r++) {
            int p = r % length;
            int table = p * half;
            // q then k: the first 2d columns of the row
            for (int head = r * stride, end = r * stride + 2 * width; head < end; head += headDim) {
                for (int i = 0; i < half; i++) {
                    float c = cos[table + i];
                    float s = direction * sin[table + i];
                    float a = qkv[head + i];
                    float b = qkv[head + half + i];
                    qkv[head + i] = a * c - b * s;
                    qkv[head + half + i] = b * c + a * s;
                }
            }
        }
    }
}
