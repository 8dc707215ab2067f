package dev.microdiffusion.core.corpus;


/**
 * How a training run divided its corpus into training and held-out texts: the held-out fraction, the seed that chose
 * them, and a fingerprint of the whole corpus before the split (null when unknown), so that the same texts can be
 * held out again later, and other texts recognised. Saved with a model. A corpus of texts is split by a seeded draw
 * of texts; a running text ({@link EncodedCorpus#isWindows() windows}) by its tail, as nanoGPT splits Tiny
 * Shakespeare: the first symbols train (windows at every offset), the last {@code validationFraction} of them are
 * held out (consecutive windows; a last part shorter than a window is left out).
 *
 * @param validationFraction the share of texts (or of a running text's symbols) held out, in [0, 1)
 * @param seed               the seed of the split ({@link EncodedCorpus#split}); unused by a tail split
 * @param corpusFingerprint  {@link EncodedCorpus#fingerprint()} of the corpus before the split, or null
 * @param tail               whether the corpus is a running text split by its tail
 */
public record DataSplit(double validationFraction, long seed, Long corpusFingerprint, boolean tail) {

    /**
     * Checks the fraction.
     *
     * @param validationFraction the share held out
     * @param seed the seed of the split
     * @param corpusFingerprint the corpus's fingerprint, or null
     * @param tail whether a running text is split by its tail
     * @throws IllegalArgumentException if the fraction is outside [0, 1)
     */
    public DataSplit {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + validationFraction);
        }
    }

    /**
     * A seeded split of a corpus of texts.
     *
     * @param validationFraction the share of texts held out
     * @param seed the seed of the split
     * @param corpusFingerprint the corpus's fingerprint, or null
     */
    public DataSplit(double validationFraction, long seed, Long corpusFingerprint) {
        this(validationFraction, seed, corpusFingerprint, false);
    }

    /**
     * {@return the same split of a corpus as the run made (if {@link #matches} it)}
     *
     * @param all the whole corpus
     */
    public EncodedCorpus.Split apply(EncodedCorpus all) {
        if (tail != all.isWindows()) {
            throw new IllegalArgumentException(tail ? "this split holds out the tail of a running text, not texts"
                    : "this split draws texts, not the tail of a running text");
        }
        return tail ? all.tail(validationFraction) : all.split(validationFraction, seed);
    }

    /**
     * {@return whether {@code all} is the corpus the run split; true when the fingerprint is unknown}
     *
     * @param all the whole corpus
     */
    public boolean matches(EncodedCorpus all) {
        return corpusFingerprint == null || corpusFingerprint == all.fingerprint();
    }
}
