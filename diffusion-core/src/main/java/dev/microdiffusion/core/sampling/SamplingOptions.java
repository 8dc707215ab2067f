package dev.microdiffusion.core.sampling;


/**
 * How to sample, whatever the sampler: every sampler honours every option (each says where one does not apply).
 * A sampler's own settings (the {@code threshold} sampler's threshold, the {@code blocks} sampler's block length)
 * belong to the sampler and are given to its {@link dev.microdiffusion.core.spi.SamplerProvider}.
 *
 * @param steps         number of reverse steps T (grid t_k = k / T); need not be the training T
 * @param temperature   logits are divided by it before the softmax; below 1 sharpens, above 1 flattens
 * @param topK          keep only the k most likely tokens of each position's distribution (0: all)
 * @param topP          keep the smallest set of most likely tokens whose probability reaches p (1: all)
 * @param confidence    how the confidence of a drawn token is measured
 * @param emitMask      whether MASK may be drawn (the reference draws it and decoding drops it); by default its
 *                      probability is moved to the other tokens, so a revealed position is always a real token
 * @param endAtFirstPad whether a text ends at its row's first PAD; otherwise PAD and MASK are dropped wherever they
 *                      stand and the pieces joined (the reference, which joins ~2 % of its names that way)
 * @param startTime     the time in (0, 1] the reverse process starts from: 1 for generation from all-MASK rows; below
 *                      it for rows only partly masked (editing: SDEdit's t₀), so that the model sees the times the
 *                      forward process would have masked that share at. Steps k/T above it are skipped.
 * @param guidance      classifier-free guidance γ ≥ 0 for a labelled canvas: the logits drawn from are
 *                      (1 + γ)·log p(x | label) − γ·log p(x), both from one model call; 0 is plain conditional
 *                      sampling (no unconditional rows are computed)
 * @param keepLengths   whether the temperature leaves where texts end alone: PAD keeps the probability it has at
 *                      τ = 1 and only the other tokens share the rest at τ, so a lower temperature sharpens the
 *                      characters without shortening the texts (tempering PAD like a character makes it the likeliest
 *                      token sooner); no effect at τ = 1. On by default, off for the reference's sampling
 */
public record SamplingOptions(int steps, double temperature, int topK, double topP, ConfidenceMeasure confidence,
        boolean emitMask, boolean endAtFirstPad, double startTime, double guidance, boolean keepLengths) {

    /** The most reverse steps a sampler takes. */
    public static final int MAX_STEPS = 100_000;
    /** Top-k unless told otherwise: every token kept. */
    public static final int DEFAULT_TOP_K = 0;
    /** Top-p unless told otherwise: every token kept. */
    public static final double DEFAULT_TOP_P = 1.0;
    /** Guidance unless told otherwise: plain conditional sampling. */
    public static final double DEFAULT_GUIDANCE = 0.0;

    /**
     * Checks every option.
     *
     * @param steps number of reverse steps T (grid t_k = k / T); need not be the training T
     * @param temperature logits are divided by it before the softmax; below 1 sharpens, above 1 flattens
     * @param topK keep only the k most likely tokens of each position's distribution (0: all)
     * @param topP keep the smallest set of most likely tokens whose probability reaches p (1: all)
     * @param confidence how the confidence of a drawn token is measured
     * @param emitMask whether MASK may be drawn (the reference draws it and decoding drops it); by default its
     *     probability is moved to the other tokens, so a revealed position is always a real token
     * @param endAtFirstPad whether a text ends at its row's first PAD; otherwise PAD and MASK are dropped wherever they
     *     stand and the pieces joined (the reference, which joins ~2 % of its names that way)
     * @param startTime the time in (0, 1] the reverse process starts from: 1 for generation from all-MASK rows; below
     *     it for rows only partly masked (editing: SDEdit's t₀), so that the model sees the times the forward process would
     *     have masked that share at. Steps k/T above it are skipped.
     * @param guidance classifier-free guidance γ ≥ 0 for a labelled canvas: the logits drawn from are (1 + γ)·log p(x |
     *     label) − γ·log p(x), both from one model call; 0 is plain conditional sampling (no unconditional rows are
     *     computed)
     * @param keepLengths whether the temperature leaves where texts end alone: PAD keeps the probability it has at τ =
     *     1 and only the other tokens share the rest at τ, so a lower temperature sharpens the characters without
     *     shortening the texts (tempering PAD like a character makes it the likeliest token sooner); no effect at τ = 1. On
     *     by default, off for the reference's sampling
     */
    public SamplingOptions {
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("steps must be in 1.." + MAX_STEPS + ", got " + steps);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be ≥ 0 (0 keeps every token), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (!(startTime > 0 && startTime <= 1)) {
            throw new IllegalArgumentException("the start time must be in (0, 1], got " + startTime);
        }
        if (!(guidance >= 0) || Double.isInfinite(guidance)) {
            throw new IllegalArgumentException("the guidance must be ≥ 0 and finite, got " + guidance);
        }
        if (confidence == null) {
            throw new IllegalArgumentException("a confidence measure must be given");
        }
    }

    /**
     * The defaults: no top-k/top-p, max-probability confidence, MASK never drawn, texts end at the first PAD, the
     * temperature keeps lengths.
     *
     * @param steps reverse steps T
     * @param temperature the temperature τ
     */
    public SamplingOptions(int steps, double temperature) {
        this(steps, temperature, DEFAULT_TOP_K, DEFAULT_TOP_P, ConfidenceMeasure.MAX_PROBABILITY, false, true, 1.0,
                DEFAULT_GUIDANCE, true);
    }

    /**
     * {@return exactly the reference's sampling: MASK may be drawn, PAD and MASK are dropped wherever they stand, and
     * PAD is tempered like every token}
     *
     * @param steps reverse steps T
     * @param temperature the temperature τ
     */
    public static SamplingOptions reference(int steps, double temperature) {
        return new SamplingOptions(steps, temperature).toBuilder().emitMask(true).endAtFirstPad(false)
                .keepLengths(false).build();
    }

    /**
     * {@return these options with another number of reverse steps}
     *
     * @param value reverse steps T
     */
    public SamplingOptions withSteps(int value) {
        return toBuilder().steps(value).build();
    }

    /** {@return the first step k of a T-step reverse process from {@link #startTime()}: T from 1, fewer below it} */
    public int firstStep() {
        // the small margin keeps k/T exactly at startTime from rounding up to the step above
        return Math.max(1, Math.min(steps, (int) Math.ceil(startTime * steps - 1e-9)));
    }

    /** {@return a builder starting from these options} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some options; {@link #build()} validates the result. */
    public static final class Builder {
        private int steps;
        private double temperature;
        private int topK;
        private double topP;
        private ConfidenceMeasure confidence;
        private boolean emitMask;
        private boolean endAtFirstPad;
        private double startTime;
        private double guidance;
        private boolean keepLengths;

        private Builder(SamplingOptions o) {
            steps = o.steps;
            temperature = o.temperature;
            topK = o.topK;
            topP = o.topP;
            confidence = o.confidence;
            emitMask = o.emitMask;
            endAtFirstPad = o.endAtFirstPad;
            startTime = o.startTime;
            guidance = o.guidance;
            keepLengths = o.keepLengths;
        }

        /**
         * Number of reverse steps T (grid t_k = k / T); need not be the training T.
         *
         * @param value the new {@code steps}
         * @return this builder
         */
        public Builder steps(int value) {
            steps = value;
            return this;
        }

        /**
         * The temperature τ: logits are divided by it before the softmax; below 1 sharpens, above 1 flattens.
         *
         * @param value the new {@code temperature}
         * @return this builder
         */
        public Builder temperature(double value) {
            temperature = value;
            return this;
        }

        /**
         * Keep only the k most likely tokens of each position's distribution (0: all).
         *
         * @param value the new {@code topK}
         * @return this builder
         */
        public Builder topK(int value) {
            topK = value;
            return this;
        }

        /**
         * Keep the smallest set of most likely tokens whose probability reaches p (1: all).
         *
         * @param value the new {@code topP}
         * @return this builder
         */
        public Builder topP(double value) {
            topP = value;
            return this;
        }

        /**
         * How the confidence of a drawn token is measured.
         *
         * @param value the new {@code confidence}
         * @return this builder
         */
        public Builder confidence(ConfidenceMeasure value) {
            confidence = value;
            return this;
        }

        /**
         * Whether MASK may be drawn (the reference draws it and decoding drops it); by default its probability is moved
         * to the other tokens, so a revealed position is always a real token.
         *
         * @param value the new {@code emitMask}
         * @return this builder
         */
        public Builder emitMask(boolean value) {
            emitMask = value;
            return this;
        }

        /**
         * Whether a text ends at its row's first PAD; otherwise PAD and MASK are dropped wherever they stand and the
         * pieces joined (the reference, which joins ~2 % of its names that way).
         *
         * @param value the new {@code endAtFirstPad}
         * @return this builder
         */
        public Builder endAtFirstPad(boolean value) {
            endAtFirstPad = value;
            return this;
        }

        /**
         * The time in (0, 1] the reverse process starts from: 1 for generation from all-MASK rows; below it for rows
         * only partly masked (editing: SDEdit's t₀), so that the model sees the times the forward process would have
         * masked that share at. Steps k/T above it are skipped.
         *
         * @param value the new {@code startTime}
         * @return this builder
         */
        public Builder startTime(double value) {
            startTime = value;
            return this;
        }

        /**
         * Classifier-free guidance γ ≥ 0 for a labelled canvas: the logits drawn from are (1 + γ)·log p(x | label) −
         * γ·log p(x), both from one model call; 0 is plain conditional sampling (no unconditional rows are computed).
         *
         * @param value the new {@code guidance}
         * @return this builder
         */
        public Builder guidance(double value) {
            guidance = value;
            return this;
        }

        /**
         * Whether the temperature leaves where texts end alone: PAD keeps the probability it has at τ = 1 and only the
         * other tokens share the rest at τ, so a lower temperature sharpens the characters without shortening the texts
         * (tempering PAD like a character makes it the likeliest token sooner); no effect at τ = 1. On by default, off
         * for the reference's sampling.
         *
         * @param value the new {@code keepLengths}
         * @return this builder
         */
        public Builder keepLengths(boolean value) {
            keepLengths = value;
            return this;
        }

        /** {@return the options, checked} */
        public SamplingOptions build() {
            return new SamplingOptions(steps, temperature, topK, topP, confidence, emitMask, endAtFirstPad, startTime,
                    guidance, keepLengths);
        }
    }
}
