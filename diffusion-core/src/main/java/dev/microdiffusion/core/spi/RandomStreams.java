package dev.microdiffusion.core.spi;

import dev.microdiffusion.core.util.SplitMix;
import java.nio.charset.StandardCharsets;
import org.apache.commons.rng.RestorableUniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Independent, reproducible random streams derived from one seed: one per purpose ("init", "data", "mask",
 * "sample"), so that e.g. changing how many samples are drawn does not change the trained weights.
 */
public final class RandomStreams {

    /** The seed of every seeded request of the library (training, generation, evaluation) unless told otherwise. */
    public static final long DEFAULT_SEED = 1;

    private final long seed;

    /**
     * The streams of one seed.
     *
     * @param seed the seed every stream derives from
     */
    public RandomStreams(long seed) {
        this.seed = seed;
    }

    /** {@return the seed every stream derives from} */
    public long seed() {
        return seed;
    }

    /**
     * {@return a new generator for a purpose; the same seed and purpose always give the same sequence} Its state can be
     * saved and restored (training checkpoints do).
     *
     * @param purpose the stream's purpose ("init", "data", "mask", "sample")
     */
    public RestorableUniformRandomProvider stream(String purpose) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {mix(seed, purpose, 0), mix(seed, purpose, 1)});
    }

    /**
     * {@return a generator for a seed drawn from another generator (one per sampling batch, say)}
     *
     * @param seed the drawn seed
     */
    public static RestorableUniformRandomProvider fromSeed(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {splitMix(seed), splitMix(seed ^ 0x5851F42D4C957F2DL)});
    }

    /**
     * The key of item {@code index} of a purpose (text i of a generation, say): a function of the seed, the purpose
     * and the index alone, distinct for distinct indices (the SplitMix64 sequence from the purpose's start). A
     * generation seeds text i's stream with {@code key("sample", i)}.
     *
     * @param purpose what the keys are for ("sample", say)
     * @param index   the item's index, any long
     * @return the 64-bit key
     */
    public long key(String purpose, long index) {
        return SplitMix.mix(mix(seed, purpose, 0) + index * SplitMix.GOLDEN);
    }

    /** SplitMix64's finaliser over the seed, the purpose's bytes and a lane: well-spread, distinct seeds. */
    private static long mix(long seed, String purpose, int lane) {
        long h = seed * 0x9E3779B97F4A7C15L + lane;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = splitMix(h + b);
        }
        return splitMix(h ^ 0x5851F42D4C957F2DL * (lane + 1));
    }

    private static long splitMix(long z) {
        return SplitMix.mix(z);
    }
}
