package dev.microdiffusion.core.sampling;

import org.apache.commons.rng.UniformRandomProvider;

/**
 * The random streams of a {@link Canvas}'s rows. A {@link dev.microdiffusion.core.spi.Sampler} draws everything it decides for row r from
 * {@code row(r)} alone, and decides nothing for one row from another's draws, so a generated text depends on its
 * own stream and on nothing else in the batch: not on how many rows share the canvas, nor where it stands among them.
 * That is what makes a generation's text i a function of the model, the settings, the seed and i alone.
 */
@FunctionalInterface
public interface RowRandom {

    /**
     * {@return the stream row r of the canvas draws from (the same object every time it is asked during one run)}
     *
     * @param r the row
     */
    UniformRandomProvider row(int r);

    /**
     * {@return every row drawing from one generator, in the order the sampler asks: rows then depend on each other's
     * draws} For tests and for driving a sampler by hand on one row.
     *
     * @param random the one generator
     */
    static RowRandom shared(UniformRandomProvider random) {
        if (random == null) {
            throw new NullPointerException("random");
        }
        return r -> random;
    }
}
