package dev.microdiffusion.core.training;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A training recipe. {@link #reference()} is the reference's MLP recipe; denoisers supply their own default through
 * {@link dev.microdiffusion.core.spi.DenoiserProvider#referenceTraining()}.
 *
 * @param steps                   optimiser steps S
 * @param batchSize               rows per step, drawn from the corpus with replacement
 * @param diffusionSteps          T, the grid t_k = k/T the training times are drawn from (k ~ U{1..T})
 * @param learningRate            peak learning rate
 * @param policy                  how the learning rate moves over the run
 * @param warmupSteps             warm-up length for {@link LearningRatePolicy#WARMUP_LINEAR_DECAY}
 * @param minLearningRateFraction the decay's floor, as a fraction of the peak
 * @param beta1                   Adam's first-moment decay
 * @param beta2                   Adam's second-moment decay
 * @param epsilon                 added to √v̂ (after the square root, as the reference and PyTorch do)
 * @param weightDecay             decoupled weight decay (AdamW); 0 for plain Adam
 * @param clip                    which gradients are clipped element-wise
 * @param clipValue               the clipping bound
 * @param objective               what a step minimises (null, as in recipes saved before it existed, reads as
 *                                {@link Objective#REFERENCE})
 * @param labelDropout            on a labelled corpus, the probability that a row is trained without its label (the
 *                                null label), so that one model learns conditional and unconditional denoising, as
 *                                classifier-free guidance needs; in [0, 1]
 * @param emaDecay                the decay d of an exponential moving average of the weights, updated after every
 *                                step as ā ← d'·ā + (1 − d')·w with d' = min(d, (1 + s)/(10 + s)) at step s (so a
 *                                short run is not dominated by its initial weights); the average is what a trained
 *                                model evaluates, samples and saves with. 0 (as in recipes saved before it existed)
 *                                keeps no average; in [0, 1)
 * @param timeDraw                how the MDLM objective draws a batch's times; null is {@link TimeDraw#STRATIFIED}
 */
public record TrainingConfig(int steps, int batchSize, int diffusionSteps, double learningRate,
        LearningRatePolicy policy, int warmupSteps, double minLearningRateFraction, double beta1, double beta2,
        double epsilon, double weightDecay, ClipPolicy clip, double clipValue, Objective objective,
        double labelDropout, double emaDecay, @JsonInclude(JsonInclude.Include.NON_NULL) TimeDraw timeDraw) {

    /** The longest run accepted (a run of a hundred million steps takes days even for the smallest model). */
    public static final int MAX_STEPS = 100_000_000;
    /** The most rows a step may take (its buffers hold batch × L × V logits several times over). */
    public static final int MAX_BATCH_SIZE = 8192;
    /** The finest time grid accepted. */
    public static final int MAX_DIFFUSION_STEPS = 100_000;

    /** The label dropout of a recipe that does not set one. */
    public static final double DEFAULT_LABEL_DROPOUT = 0.1;

    /** The smallest t the MDLM objective draws: its weight rate′/rate grows like 1/t near 0. */
    public static final double MIN_TIME = 1e-3;

    /**
     * Checks every setting.
     *
     * @param steps optimiser steps S
     * @param batchSize rows per step, drawn from the corpus with replacement
     * @param diffusionSteps T, the grid t_k = k/T the training times are drawn from (k ~ U{1..T})
     * @param learningRate peak learning rate
     * @param policy how the learning rate moves over the run
     * @param warmupSteps warm-up length for {@link LearningRatePolicy#WARMUP_LINEAR_DECAY}
     * @param minLearningRateFraction the decay's floor, as a fraction of the peak
     * @param beta1 Adam's first-moment decay
     * @param beta2 Adam's second-moment decay
     * @param epsilon added to √v̂ (after the square root, as the reference and PyTorch do)
     * @param weightDecay decoupled weight decay (AdamW); 0 for plain Adam
     * @param clip which gradients are clipped element-wise
     * @param clipValue the clipping bound
     * @param objective what a step minimises (null, as in recipes saved before it existed, reads as {@link
     *     Objective#REFERENCE})
     * @param labelDropout on a labelled corpus, the probability that a row is trained without its label (the null
     *     label), so that one model learns conditional and unconditional denoising, as classifier-free guidance needs; in
     *     [0, 1]
     * @param emaDecay the decay d of an exponential moving average of the weights, updated after every step as ā ← d'·ā
     *     + (1 − d')·w with d' = min(d, (1 + s)/(10 + s)) at step s (so a short run is not dominated by its initial
     *     weights); the average is what a trained model evaluates, samples and saves with. 0 (as in recipes saved before it
     *     existed) keeps no average; in [0, 1)
     * @param timeDraw how the MDLM objective draws a batch's times; null (as in recipes saved before it existed, and
     *     written so) is {@link TimeDraw#STRATIFIED}
     */
    public TrainingConfig {
        if (objective == null) {
            objective = Objective.REFERENCE;
        }
        positive("steps", steps);
        positive("batchSize", batchSize);
        positive("diffusionSteps", diffusionSteps);
        if (steps > MAX_STEPS) {
            throw new IllegalArgumentException("steps must be at most " + MAX_STEPS + ", got " + steps);
        }
        if (batchSize > MAX_BATCH_SIZE || diffusionSteps > MAX_DIFFUSION_STEPS) {
            throw new IllegalArgumentException("batchSize must be at most " + MAX_BATCH_SIZE + " and diffusionSteps at "
                    + "most " + MAX_DIFFUSION_STEPS + ", got " + batchSize + ", " + diffusionSteps);
        }
        positive("warmupSteps", warmupSteps);
        if (policy == null || clip == null) {
            throw new IllegalArgumentException("policy and clip must be given");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite, got " + learningRate);
        }
        if (!(minLearningRateFraction >= 0 && minLearningRateFraction <= 1)) {
            throw new IllegalArgumentException("minLearningRateFraction must be in [0, 1], got " + minLearningRateFraction);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(labelDropout >= 0 && labelDropout <= 1)) {
            throw new IllegalArgumentException("labelDropout must be in [0, 1], got " + labelDropout);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("emaDecay must be in [0, 1), got " + emaDecay);
        }
        if (!(epsilon > 0) || !(weightDecay >= 0) || !(clipValue > 0)) {
            throw new IllegalArgumentException("epsilon and clipValue must be positive, weightDecay non-negative");
        }
    }

    /**
     * {@return the reference MLP scripts' recipe: 5000 steps of batch 64, T = 40, Adam (0.9, 0.999, 1e-8) at 5e-4 with
     * a 200-step warm-up and a linear decay to 10 %, every gradient clipped to ±1}
     */
    public static TrainingConfig reference() {
        return new TrainingConfig(5000, 64, 40, 5e-4, LearningRatePolicy.WARMUP_LINEAR_DECAY, 200, 0.1, 0.9, 0.999,
                1e-8, 0.0, ClipPolicy.ALL, 1.0, Objective.REFERENCE, DEFAULT_LABEL_DROPOUT, 0.0, null);
    }

    /**
     * {@return the recipe of a denoiser whose provider states none ({@link
     * dev.microdiffusion.core.spi.DenoiserProvider#tunedTraining()}): the reference's optimiser, clipping, batch and
     * T, at a learning rate small models need — 3e-3 after a 200-step warm-up, decaying along a cosine to 5 % — with
     * the weights' moving average (0.999) as the model; 5,000 steps}
     */
    public static TrainingConfig plugIn() {
        return reference().toBuilder().learningRate(3e-3).policy(LearningRatePolicy.WARMUP_COSINE_DECAY)
                .warmupSteps(200).minLearningRateFraction(0.05).emaDecay(0.999).build();
    }

    /** {@return a builder starting from this recipe} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * {@return the same recipe with another number of steps (the most common change)}
     *
     * @param steps the step count
     */
    public TrainingConfig withSteps(int steps) {
        return toBuilder().steps(steps).build();
    }

    /** Changes some settings of a recipe; {@link #build()} validates the result. */
    public static final class Builder {
        private int steps;
        private int batchSize;
        private int diffusionSteps;
        private double learningRate;
        private LearningRatePolicy policy;
        private int warmupSteps;
        private double minLearningRateFraction;
        private double beta1;
        private double beta2;
        private double epsilon;
        private double weightDecay;
        private ClipPolicy clip;
        private double clipValue;
        private Objective objective;
        private double labelDropout;
        private double emaDecay;
        private TimeDraw timeDraw;

        private Builder(TrainingConfig c) {
            steps = c.steps;
            batchSize = c.batchSize;
            diffusionSteps = c.diffusionSteps;
            learningRate = c.learningRate;
            policy = c.policy;
            warmupSteps = c.warmupSteps;
            minLearningRateFraction = c.minLearningRateFraction;
            beta1 = c.beta1;
            beta2 = c.beta2;
            epsilon = c.epsilon;
            weightDecay = c.weightDecay;
            clip = c.clip;
            clipValue = c.clipValue;
            objective = c.objective;
            labelDropout = c.labelDropout;
            emaDecay = c.emaDecay;
            timeDraw = c.timeDraw;
        }

        /**
         * Optimiser steps S.
         *
         * @param value the new {@code steps}
         * @return this builder
         */
        public Builder steps(int value) {
            steps = value;
            return this;
        }

        /**
         * Rows per step, drawn from the corpus with replacement.
         *
         * @param value the new {@code batchSize}
         * @return this builder
         */
        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        /**
         * T, the grid t_k = k/T the training times are drawn from (k ~ U{1..T}).
         *
         * @param value the new {@code diffusionSteps}
         * @return this builder
         */
        public Builder diffusionSteps(int value) {
            diffusionSteps = value;
            return this;
        }

        /**
         * Peak learning rate.
         *
         * @param value the new {@code learningRate}
         * @return this builder
         */
        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        /**
         * How the learning rate moves over the run.
         *
         * @param value the new {@code policy}
         * @return this builder
         */
        public Builder policy(LearningRatePolicy value) {
            policy = value;
            return this;
        }

        /**
         * Warm-up length for {@link LearningRatePolicy#WARMUP_LINEAR_DECAY}.
         *
         * @param value the new {@code warmupSteps}
         * @return this builder
         */
        public Builder warmupSteps(int value) {
            warmupSteps = value;
            return this;
        }

        /**
         * The decay's floor, as a fraction of the peak.
         *
         * @param value the new {@code minLearningRateFraction}
         * @return this builder
         */
        public Builder minLearningRateFraction(double value) {
            minLearningRateFraction = value;
            return this;
        }

        /**
         * Adam's moment decays.
         *
         * @param first β₁
         * @param second β₂
         * @return this builder
         */
        public Builder betas(double first, double second) {
            beta1 = first;
            beta2 = second;
            return this;
        }

        /**
         * Added to √v̂ (after the square root, as the reference and PyTorch do).
         *
         * @param value the new {@code epsilon}
         * @return this builder
         */
        public Builder epsilon(double value) {
            epsilon = value;
            return this;
        }

        /**
         * Decoupled weight decay (AdamW); 0 for plain Adam.
         *
         * @param value the new {@code weightDecay}
         * @return this builder
         */
        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        /**
         * Which gradients are clipped element-wise.
         *
         * @param value the new {@code clip}
         * @return this builder
         */
        public Builder clip(ClipPolicy value) {
            clip = value;
            return this;
        }

        /**
         * The clipping bound.
         *
         * @param value the new {@code clipValue}
         * @return this builder
         */
        public Builder clipValue(double value) {
            clipValue = value;
            return this;
        }

        /**
         * What a step minimises (null, as in recipes saved before it existed, reads as {@link Objective#REFERENCE}).
         *
         * @param value the new {@code objective}
         * @return this builder
         */
        public Builder objective(Objective value) {
            objective = value;
            return this;
        }

        /**
         * On a labelled corpus, the probability that a row is trained without its label (the null label), so that one
         * model learns conditional and unconditional denoising, as classifier-free guidance needs; in [0, 1].
         *
         * @param value the new {@code labelDropout}
         * @return this builder
         */
        public Builder labelDropout(double value) {
            labelDropout = value;
            return this;
        }

        /**
         * The decay of the weights' moving average; 0 for none.
         *
         * @param value the decay of the weights' moving average
         * @return this builder
         */
        public Builder emaDecay(double value) {
            emaDecay = value;
            return this;
        }

        /**
         * How the MDLM objective draws a batch's times (default {@link TimeDraw#STRATIFIED}).
         *
         * @param value the draw; null for the default
         * @return this builder
         */
        public Builder timeDraw(TimeDraw value) {
            timeDraw = value == TimeDraw.STRATIFIED ? null : value;
            return this;
        }

        /** {@return the recipe, checked} */
        public TrainingConfig build() {
            return new TrainingConfig(steps, batchSize, diffusionSteps, learningRate, policy, warmupSteps,
                    minLearningRateFraction, beta1, beta2, epsilon, weightDecay, clip, clipValue, objective,
                    labelDropout, emaDecay, timeDraw);
        }
    }

    /** {@return how the MDLM objective draws a batch's times, the default for null} */
    public TimeDraw effectiveTimeDraw() {
        return timeDraw == null ? TimeDraw.STRATIFIED : timeDraw;
    }

    /** {@return whether the run keeps a moving average of the weights} */
    public boolean averagesWeights() {
        return emaDecay > 0;
    }

    /**
     * {@return the average's decay at a (0-based) step: {@code min(emaDecay, (1 + step)/(10 + step))}}
     *
     * @param step the step
     */
    public double emaDecayAt(long step) {
        return Math.min(emaDecay, (1.0 + step) / (10.0 + step));
    }

    /**
     * {@return the learning rate at a (0-based) step}
     *
     * @param step the step
     */
    public double learningRateAt(int step) {
        return policy.rate(this, step);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
