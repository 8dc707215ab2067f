package dev.microdiffusion.core;

import dev.microdiffusion.core.spi.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a model predicts at every position of a template in one call, like a fill-mask pipeline: the probability of
 * each symbol at each position (softmax of the logits, temperature 1).
 *
 * @param template  the template as given ('_' for each masked position)
 * @param time      the diffusion time the model was given
 * @param symbols   a printable symbol per id ({@link Tokenizer#symbol}), {@code [PAD]} and {@code [MASK]} included
 * @param positions every position of the row, masked or not
 */
public record FillMask(String template, double time, List<String> symbols, List<Position> positions) {

    /** The diffusion time of {@link DiffusionModel#predict(String)}: the middle of the reverse process. */
    public static final double DEFAULT_TIME = 0.5;


    /**
     * Copies the lists.
     *
     * @param template the template as given
     * @param time the diffusion time t
     * @param symbols every id's symbol, in id order
     * @param positions every position's prediction
     */
    public FillMask {
        symbols = List.copyOf(symbols);
        positions = List.copyOf(positions);
    }

    /**
     * One position.
     *
     * @param index         0-based
     * @param input         the symbol the model saw there ({@code [MASK]} where it was to be predicted)
     * @param masked        whether it was masked
     * @param probabilities one per id, summing to 1
     */
    public record Position(int index, String input, boolean masked, double[] probabilities) {

        /**
         * Copies the probabilities.
         *
         * @param index the position
         * @param input the symbol the model saw there
         * @param masked whether it was to predict
         * @param probabilities every id's probability, in id order
         */
        public Position {
            probabilities = probabilities.clone();
        }

        /** {@return every id's probability, in id order (a copy)} */
        @Override
        public double[] probabilities() {
            return probabilities.clone();
        }
    }

    /** A symbol and its probability. */
    public record Candidate(String symbol, double probability) {

        /** {@code "i 0.388"}. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %.3f", symbol, probability);
        }
    }

    /** {@return the masked positions only} */
    public List<Position> masked() {
        return positions.stream().filter(Position::masked).toList();
    }

    /**
     * {@return the {@code k} most likely symbols at a position, most likely first (ties by id)}
     *
     * @param position a position of this prediction
     * @param k how many
     */
    public List<Candidate> top(Position position, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be ≥ 1, got " + k);
        }
        double[] p = position.probabilities;
        boolean[] taken = new boolean[p.length];
        List<Candidate> best = new ArrayList<>();
        for (int n = 0; n < Math.min(k, p.length); n++) {
            int arg = -1;
            for (int id = 0; id < p.length; id++) {
                if (!taken[id] && (arg < 0 || p[id] > p[arg])) {
                    arg = id;
                }
            }
            taken[arg] = true;
            best.add(new Candidate(symbols.get(arg), p[arg]));
        }
        return best;
    }
}
