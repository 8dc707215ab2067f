package dev.microdiffusion.core.util;

/** SplitMix64's step and finaliser (Steele, Lea and Flood, 2014): a bijection of 64-bit values that spreads them well. */
public final class SplitMix {

    /** The golden-ratio increment of SplitMix64. */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SplitMix() {
    }

    /** The finaliser of {@code z + GOLDEN}: one SplitMix64 output for state z. */
    public static long mix(long z) {
        z += GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
