package dev.microdiffusion.core.corpus;


/**
 * How a training run divided its corpus into training and held-out texts: the held-out fraction, the seed that chose
 * them, and a fingerprint of the whole corpus before the split (null when unknown), so that the same texts can be
 * held out again later, and other texts recognised. Saved with a model.
 *
 * @param validationFraction the share of texts held out, in [0, 1)
 * @param seed               the seed of the split ({@link EncodedCorpus#split})
 * @param corpusFingerprint  {@link EncodedCorpus#fingerprint()} of the corpus before the split, or null
 */
public record DataSplit(double validationFraction, long seed, Long corpusFingerprint) {

    /**
     * Checks the fraction.
     *
     * @param validationFraction the share held out
     * @param seed the seed of the split
     * @param corpusFingerprint the corpus's fingerprint, or null
     * @throws IllegalArgumentException if the fraction is outside [0, 1)
     */
    public DataSplit {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + validationFraction);
        }
    }

    /**
     * {@return the same split of a corpus as the run made (if {@link #matches} it)}
     *
     * @param all the whole corpus
     */
    public EncodedCorpus.Split apply(EncodedCorpus all) {
        return all.split(validationFraction, seed);
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
