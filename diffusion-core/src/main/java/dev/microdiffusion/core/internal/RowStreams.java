package dev.microdiffusion.core.internal;

import dev.microdiffusion.core.sampling.RowRandom;
import java.util.function.IntToLongFunction;

/**
 * One {@link RowStream} per canvas row, seeded again for every batch from each row's key; made once per worker and
 * reused, so seeding a batch allocates nothing.
 */
public final class RowStreams implements RowRandom {

    private final RowStream[] streams;

    public RowStreams(int capacity) {
        streams = new RowStream[capacity];
        for (int r = 0; r < capacity; r++) {
            streams[r] = new RowStream(0);
        }
    }

    /** Seeds rows [0, rows) with the keys of items first … first + rows − 1. */
    public RowStreams seed(int rows, int first, IntToLongFunction keyOf) {
        for (int r = 0; r < rows; r++) {
            streams[r].reseed(keyOf.applyAsLong(first + r));
        }
        return this;
    }

    @Override
    public RowStream row(int r) {
        return streams[r];
    }
}
