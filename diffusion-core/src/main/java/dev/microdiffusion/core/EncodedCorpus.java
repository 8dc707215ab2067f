package dev.microdiffusion.core;

import java.util.List;

/**
 * A corpus as rows of token ids.
 *
 * @param texts   the kept texts, normalised, in corpus order
 * @param ids     row-major [texts.size() × length] token ids
 * @param length  ids per row (the tokenizer's max length)
 * @param dropped how many non-blank lines were longer than the max length and left out
 */
public record EncodedCorpus(List<String> texts, int[] ids, int length, int dropped) {

    public EncodedCorpus {
        texts = List.copyOf(texts);
        if (ids.length != texts.size() * length) {
            throw new IllegalArgumentException("ids hold " + ids.length + " values, expected " + texts.size() + " × " + length);
        }
    }

    public int size() {
        return texts.size();
    }

    /** Number of characters of a text plus one for its end: the unit bits-per-character figures are counted in. */
    public long symbolsWithEnds() {
        long n = 0;
        for (String t : texts) {
            n += t.length() + 1;
        }
        return n;
    }

    /** Identifies a corpus by its size and ids, so that a run is not resumed, or evaluated, on other data. */
    public long fingerprint() {
        long h = 1125899906842597L ^ size() ^ ((long) length << 32);
        for (int id : ids) {
            h = 31 * h + id;
        }
        return h;
    }

    /** A corpus split in two; each part keeps the corpus order. */
    public record Split(EncodedCorpus train, EncodedCorpus validation) {
    }

    /**
     * A seeded split: round(size · fraction) rows, drawn uniformly, go to validation (at least one and at most all but
     * one when the fraction is positive); the same seed always picks the same rows.
     */
    public Split split(double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + validationFraction);
        }
        int n = size();
        int held = (int) Math.round(n * validationFraction);
        if (validationFraction > 0) {
            if (n < 2) {
                throw new IllegalArgumentException("a corpus of " + n + " text cannot be split");
            }
            held = Math.max(1, Math.min(n - 1, held));
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        org.apache.commons.rng.UniformRandomProvider random = new RandomStreams(seed).stream("split");
        for (int i = 0; i < held; i++) {
            int j = i + random.nextInt(n - i);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        boolean[] validation = new boolean[n];
        for (int i = 0; i < held; i++) {
            validation[order[i]] = true;
        }
        return new Split(subset(validation, false, n - held), subset(validation, true, held));
    }

    private EncodedCorpus subset(boolean[] validation, boolean want, int count) {
        java.util.List<String> kept = new java.util.ArrayList<>(count);
        int[] out = new int[count * length];
        int r = 0;
        for (int i = 0; i < validation.length; i++) {
            if (validation[i] == want) {
                kept.add(texts.get(i));
                System.arraycopy(ids, i * length, out, r++ * length, length);
            }
        }
        return new EncodedCorpus(kept, out, length, want ? 0 : dropped);
    }
}
