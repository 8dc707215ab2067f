package dev.microdiffusion.core.training;

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

    /** The CLI spelling. */
    public String option() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Objective parse(String text) {
        for (Objective o : values()) {
            if (o.option().equalsIgnoreCase(text)) {
                return o;
            }
        }
        throw new IllegalArgumentException("no objective '" + text + "'; known: reference, mdlm");
    }
}
