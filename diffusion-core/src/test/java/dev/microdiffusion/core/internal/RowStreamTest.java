package dev.microdiffusion.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.microdiffusion.core.spi.RandomStreams;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

class RowStreamTest {

    @Test
    void itIsCommonsXoroshiro128PlusPlusFromTheSameKey() {
        for (long key : new long[] {0, 1, -1, 42, Long.MIN_VALUE, 0x5851F42D4C957F2DL}) {
            UniformRandomProvider commons = RandomStreams.fromSeed(key);
            RowStream ours = new RowStream(key);
            for (int i = 0; i < 1000; i++) {
                assertEquals(commons.nextLong(), ours.nextLong(), "key " + key + ", draw " + i);
            }
        }
    }

    @Test
    void reseedingRestartsTheSequenceInPlace() {
        RowStream stream = new RowStream(7);
        long first = stream.nextLong();
        stream.nextLong();
        assertEquals(first, stream.reseed(7).nextLong());
        assertNotEquals(first, stream.reseed(8).nextLong());
    }
}
