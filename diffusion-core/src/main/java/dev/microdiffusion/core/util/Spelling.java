package dev.microdiffusion.core.util;

import java.util.Arrays;
import java.util.Locale;

/**
 * How enum constants are spelt in settings, on the command line and in JSON: lower case, '-' between words
 * ({@code MAX_PROBABILITY} is {@code max-probability}); reading also takes the constant's own name.
 */
public final class Spelling {

    private Spelling() {
    }

    /** The spelling of a constant. */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant spelt {@code text}.
     *
     * @param what what the enum is, for the error ("confidence measure")
     * @throws IllegalArgumentException listing the spellings it knows
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equalsIgnoreCase(text) || constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("no " + what + " '" + text + "'; known: "
                + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Spelling::of).toList()));
    }
}
