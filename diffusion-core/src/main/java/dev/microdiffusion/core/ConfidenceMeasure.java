package dev.microdiffusion.core;

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

    /** The CLI spelling: lower case, '-' between words. */
    public String option() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Reads {@link #option()} (or the enum name), with a clear error listing the measures. */
    public static ConfidenceMeasure parse(String text) {
        for (ConfidenceMeasure m : values()) {
            if (m.option().equalsIgnoreCase(text) || m.name().equalsIgnoreCase(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no confidence measure '" + text + "'; known: "
                + java.util.Arrays.stream(values()).map(ConfidenceMeasure::option).toList());
    }
}
