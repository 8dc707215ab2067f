package dev.microdiffusion.core.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.microdiffusion.core.util.Spelling;

/** What a training step minimises. */
public enum Objective {
    /**
     * The reference's: one k ~ U{1..T} per batch, cross-entropy of x0 at every position (masked, visible and PAD
     * alike) averaged over B·L, no time weighting.
     */
    REFERENCE,
    /**
     * MDLM's continuous-time bound: per row t ~ U(t_min, 1) (antithetic across the batch), cross-entropy only at masked
     * positions, weighted by −α′(t)/(1 − α(t)) = rate′(t)/rate(t), with the SUBS parameterisation (MASK is never
     * predicted: its logit is left out of the softmax; visible positions copy their token and cost nothing). The batch
     * loss, summed over positions and divided by B·L, is an unbiased estimate of the NELBO per position.
     */
    MDLM;

    /** {@return how it is spelt in settings, on the command line and in JSON} */
    @JsonValue
    public String option() {
        return Spelling.of(this);
    }

    /**
     * Reads {@link #option()} (or the constant's name), with an error listing the spellings.
     *
     * @param text the spelling
     * @return the objective
     */
    @JsonCreator
    public static Objective parse(String text) {
        return Spelling.parse(Objective.class, text, "objective");
    }
}
