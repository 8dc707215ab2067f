package dev.microdiffusion.core.training;

import java.util.Locale;

/**
 * How the MDLM objective ({@link Objective#MDLM}) draws the diffusion times of a batch's B rows, each in (t_min, 1):
 * the objective is an expectation over t, and a batch is its Monte Carlo estimate.
 */
public enum TimeDraw {
    /**
     * One uniform u per batch, row b at (u + b/B) mod 1: every 1/B stretch of time holds one row (a low-discrepancy
     * draw, MDLM's), so the batch's estimate varies less from step to step. The default.
     */
    STRATIFIED,
    /** Each row's time drawn on its own, uniformly: the plain Monte Carlo estimate. */
    INDEPENDENT;

    /** {@return how it is spelt in settings, on the command line and in JSON} */
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@link #option()} (or the constant's name), with an error listing the spellings.
     *
     * @param text the spelling
     * @return the draw
     */
    public static TimeDraw parse(String text) {
        for (TimeDraw draw : values()) {
            if (draw.option().equalsIgnoreCase(text)) {
                return draw;
            }
        }
        throw new IllegalArgumentException("time draw must be stratified or independent, got '" + text + "'");
    }
}
