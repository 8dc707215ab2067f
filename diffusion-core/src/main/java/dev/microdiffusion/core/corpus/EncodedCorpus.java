package dev.microdiffusion.core.corpus;

import dev.microdiffusion.core.spi.RandomStreams;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A corpus as rows of token ids.
 *
 * @param texts   the kept texts, normalised, in corpus order
 * @param ids     row-major [texts.size() × length] token ids
 * @param length  ids per row (the tokenizer's max length)
 * @param dropped how many non-blank lines were longer than the max length and left out
 * @param labels  a label id per text (see {@link #labelled}), or null for an unlabelled corpus
 */
public record EncodedCorpus(List<String> texts, int[] ids, int length, int dropped, int[] labels) {

    /**
     * Checks that the arrays fit the texts.
     *
     * @param texts the kept texts
     * @param ids the ids, row-major
     * @param length ids per row
     * @param dropped lines left out as too long
     * @param labels a label id per text, or null
     * @throws IllegalArgumentException if the ids or labels do not fit the texts and the row length
     */
    public EncodedCorpus {
        texts = List.copyOf(texts);
        if (ids.length != texts.size() * length) {
            throw new IllegalArgumentException("ids hold " + ids.length + " values, expected " + texts.size() + " × " + length);
        }
        if (labels != null && labels.length != texts.size()) {
            throw new IllegalArgumentException(labels.length + " labels for " + texts.size() + " texts");
        }
    }

    /**
     * An unlabelled corpus.
     *
     * @param texts the normalised texts kept
     * @param ids [texts, length] ids
     * @param length the row length L
     * @param dropped how many lines were dropped as too long
     */
    public EncodedCorpus(List<String> texts, int[] ids, int length, int dropped) {
        this(texts, ids, length, dropped, null);
    }

    /**
     * {@return this corpus with a label for each of its texts, given per line of the corpus it was encoded from: {@code
     * lineLabels[n]} belongs to {@code lines[n]}} Lines the tokenizer dropped (blank, too long) drop their label with
     * them; a kept text is matched to its line by its normalised form, in order.
     *
     * @param lines the corpus's lines
     * @param lineLabels one label id per line
     * @param normalize how the tokenizer that encoded the corpus normalises a line ({@code tokenizer::normalize})
     */
    public EncodedCorpus labelled(List<String> lines, int[] lineLabels, UnaryOperator<String> normalize) {
        if (lines.size() != lineLabels.length) {
            throw new IllegalArgumentException(lines.size() + " lines, " + lineLabels.length + " labels");
        }
        int[] kept = new int[size()];
        int next = 0;
        for (int n = 0; n < lines.size() && next < kept.length; n++) {
            // a dropped line never normalises to a kept text: the same text would have been dropped too
            if (normalize.apply(lines.get(n)).equals(texts.get(next))) {
                kept[next++] = lineLabels[n];
            }
        }
        if (next != kept.length) {
            throw new IllegalArgumentException("the lines do not match the encoded texts (" + next + " of " + size()
                    + " found)");
        }
        return new EncodedCorpus(texts, ids, length, dropped, kept);
    }

    /** {@return whether each text has a label} */
    public boolean isLabelled() {
        return labels != null;
    }

    /**
     * {@return the texts with one label, in corpus order (a labelled corpus's part, for per-label figures)}
     *
     * @param label the label id
     */
    public EncodedCorpus withLabel(int label) {
        if (labels == null) {
            throw new IllegalStateException("the corpus is not labelled");
        }
        boolean[] keep = new boolean[size()];
        int count = 0;
        for (int i = 0; i < keep.length; i++) {
            keep[i] = labels[i] == label;
            count += keep[i] ? 1 : 0;
        }
        return subset(keep, true, count);
    }

    /** {@return how many texts} */
    public int size() {
        return texts.size();
    }

    /**
     * {@return characters (code points) of every text plus one for its end: the unit bits-per-character figures count}
     */
    public long symbolsWithEnds() {
        long n = 0;
        for (String t : texts) {
            n += t.codePointCount(0, t.length()) + 1;
        }
        return n;
    }

    /**
     * Identifies a corpus by its size and ids, so that a run is not resumed, or evaluated, on other data.
     *
     * @return a fingerprint of the size and the ids
     */
    public long fingerprint() {
        long h = 1125899906842597L ^ size() ^ ((long) length << 32);
        for (int id : ids) {
            h = 31 * h + id;
        }
        if (labels != null) {
            for (int label : labels) {
                h = 31 * h + label + 0x51;
            }
        }
        return h;
    }

    /** A corpus split in two; each part keeps the corpus order. */
    public record Split(EncodedCorpus train, EncodedCorpus validation) {
    }

    /**
     * {@return a seeded split: round(size · fraction) rows, drawn uniformly, go to validation (at least one and at most
     * all but one when the fraction is positive); the same seed always picks the same rows}
     *
     * @param validationFraction the share held out, in [0, 1)
     * @param seed the seed of the draw
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
        UniformRandomProvider random = new RandomStreams(seed).stream("split");
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
        List<String> kept = new ArrayList<>(count);
        int[] out = new int[count * length];
        int[] keptLabels = labels == null ? null : new int[count];
        int r = 0;
        for (int i = 0; i < validation.length; i++) {
            if (validation[i] == want) {
                kept.add(texts.get(i));
                if (keptLabels != null) {
                    keptLabels[r] = labels[i];
                }
                System.arraycopy(ids, i * length, out, r++ * length, length);
            }
        }
        return new EncodedCorpus(kept, out, length, want ? 0 : dropped, keptLabels);
    }
}
