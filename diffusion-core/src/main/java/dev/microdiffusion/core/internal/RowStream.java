package dev.microdiffusion.core.internal;

import dev.microdiffusion.core.util.SplitMix;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * xoroshiro128++ (Blackman and Vigna, 2019) that can be seeded again in place: a generation seeds one per canvas row
 * for every text, so seeding must cost a few multiplications and allocate nothing. From the same 64-bit key it gives
 * the same {@code nextLong()} sequence as {@link dev.microdiffusion.core.spi.RandomStreams#fromSeed(long)} (the state is
 * the key through SplitMix64 twice, the same way); the other draws are {@link UniformRandomProvider}'s defaults over
 * {@code nextLong()}. Not thread-safe.
 */
public final class RowStream implements UniformRandomProvider {

    private long s0;
    private long s1;

    public RowStream(long key) {
        reseed(key);
    }

    /** Restarts the stream at the sequence of {@code key}. */
    public RowStream reseed(long key) {
        s0 = SplitMix.mix(key);
        s1 = SplitMix.mix(key ^ 0x5851F42D4C957F2DL);
        if ((s0 | s1) == 0) {
            // the one state xoroshiro cannot leave; SplitMix64 is a bijection, so no key reaches it twice
            s1 = 1;
        }
        return this;
    }

    @Override
    public long nextLong() {
        long a = s0;
        long b = s1;
        long result = Long.rotateLeft(a + b, 17) + a;
        b ^= a;
        s0 = Long.rotateLeft(a, 49) ^ b ^ (b << 21);
        s1 = Long.rotateLeft(b, 28);
        return result;
    }
}
