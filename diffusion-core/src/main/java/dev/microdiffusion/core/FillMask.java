package dev.microdiffusion.core;

import dev.microdiffusion.core.spi.Tokenizer;

import java.util.ArrayList;
import java.util.List;

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

        public Position {
            probabilities = probabilities.clone();
        }

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
            return String.format(java.util.Locale.ROOT, "%s %.3f", symbol, probability);
        }
    }

    /** The masked positions only. */
    public List<Position> masked() {
        return positions.stream().filter(Position::masked).toList();
    }

    /** The {@code k} most likely symbols at a position, most likely first (ties by id). */
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
