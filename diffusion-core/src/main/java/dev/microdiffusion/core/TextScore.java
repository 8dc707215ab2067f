package dev.microdiffusion.core;

/**
 * One text's score under a model (see {@link Scoring}): its NELBO, an upper bound on −log p(text), in nats and in
 * bits per character (the characters and one end), and for a labelled model the label it most likely carries. A text
 * the model cannot score gets an {@link Outcome} other than {@link Outcome#SCORED}, NaN figures and a
 * {@link #problem()}; it never fails the batch it is in.
 *
 * @param text                the text as given (null for {@link Outcome#MISSING})
 * @param outcome             whether it was scored, and if not why
 * @param problem             for a text not scored, one line saying why; otherwise null
 * @param natsPerText         the NELBO of the text in nats (NaN if not scored)
 * @param bitsPerChar         the same in bits over its characters + 1 (NaN if not scored)
 * @param label               the label it was scored under, or null for the unconditional score
 * @param likeliestLabel      for a labelled model asked to classify: the label of the highest posterior, else null
 * @param likeliestLabelShare that label's posterior probability (NaN when there is none)
 */
public record TextScore(String text, Outcome outcome, String problem, double natsPerText, double bitsPerChar,
        String label, String likeliestLabel, double likeliestLabelShare) {

    /** Whether a text was scored, and if not, why. */
    public enum Outcome {
        /** Scored: the figures are finite. */
        SCORED,
        /** No text (a null value). */
        MISSING,
        /** Nothing left after the tokenizer's normalisation (blank). */
        EMPTY,
        /** More characters than the model's rows hold. */
        TOO_LONG,
        /** A symbol outside the model's vocabulary, or anything else its tokenizer refuses. */
        UNENCODABLE
    }

    /**
     * Checks that the figures fit the outcome.
     *
     * @param text the text as given (null for {@link Outcome#MISSING})
     * @param outcome whether it was scored, and if not why
     * @param problem for a text not scored, one line saying why; otherwise null
     * @param natsPerText the NELBO of the text in nats (NaN if not scored)
     * @param bitsPerChar the same in bits over its characters + 1 (NaN if not scored)
     * @param label the label it was scored under, or null for the unconditional score
     * @param likeliestLabel for a labelled model asked to classify: the label of the highest posterior, else null
     * @param likeliestLabelShare that label's posterior probability (NaN when there is none)
     */
    public TextScore {
        if (outcome == null) {
            throw new NullPointerException("outcome");
        }
        if ((outcome == Outcome.SCORED) != (problem == null)) {
            throw new IllegalArgumentException("a problem goes with every outcome but SCORED, and only with those");
        }
    }

    /** {@return whether the text was scored} */
    public boolean scored() {
        return outcome == Outcome.SCORED;
    }

    /** A text the model cannot score. */
    static TextScore unscored(String text, Outcome outcome, String problem, String label) {
        return new TextScore(text, outcome, problem, Double.NaN, Double.NaN, label, null, Double.NaN);
    }
}
