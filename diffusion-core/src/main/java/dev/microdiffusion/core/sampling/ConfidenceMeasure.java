package dev.microdiffusion.core.sampling;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.microdiffusion.core.util.Spelling;


/**
 * How sure the model is of the token drawn at a masked position, computed from the position's final (tempered,
 * filtered) distribution p; samplers reveal the surest positions first.
 */
public enum ConfidenceMeasure {
    /** max p: the reference's. */
    MAX_PROBABILITY,
    /** p of the token actually drawn. */
    DRAWN_PROBABILITY,
    /** p of the most likely token minus p of the second. */
    MARGIN,
    /** Σ p log p: zero for a certain position, −log V for a uniform one. */
    NEGATIVE_ENTROPY;

    /** {@return how it is spelt in settings, on the command line and in JSON} */
    @JsonValue
    public String option() {
        return Spelling.of(this);
    }

    /**
     * Reads {@link #option()} (or the constant's name), with an error listing the spellings.
     *
     * @param text the spelling
     * @return the measure
     */
    @JsonCreator
    public static ConfidenceMeasure parse(String text) {
        return Spelling.parse(ConfidenceMeasure.class, text, "confidence measure");
    }
}
