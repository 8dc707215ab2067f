package dev.microdiffusion.core.corpus;

import dev.microdiffusion.core.spi.RandomStreams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A corpus as rows of token ids, of one of two kinds. <b>Texts</b> ({@code stride} 0): one text per row, padded, as
 * a corpus of names is. <b>Windows</b> ({@code stride} ≥ 1): one running text (a book) whose ids are read as rows of
 * {@code length} starting every {@code stride} symbols — overlapping windows at every offset (stride 1) to train on,
 * consecutive ones (stride = length) to evaluate.
 *
 * @param texts   the kept texts, normalised, in corpus order; for windows the one running text
 * @param ids     texts: row-major [texts.size() × length] token ids; windows: the running text's ids
 * @param length  ids per row (the tokenizer's max length)
 * @param dropped how many non-blank lines were longer than the max length and left out
 * @param labels  a label id per text (see {@link #labelled}), or null for an unlabelled corpus
 * @param stride  0 for texts; for windows, the symbols between the starts of two rows
 */
public record EncodedCorpus(List<String> texts, int[] ids, int length, int dropped, int[] labels, int stride) {

    /**
     * Checks that the arrays fit the texts.
     *
     * @param texts the kept texts
     * @param ids the ids
     * @param length ids per row
     * @param dropped lines left out as too long
     * @param labels a label id per text, or null
     * @param stride 0, or the symbols between two windows
     * @throws IllegalArgumentException if the ids or labels do not fit the texts and the row length
     */
    public EncodedCorpus {
        texts = List.copyOf(texts);
        if (length < 1 || stride < 0 || stride > length) {
            throw new IllegalArgumentException("rows need a length ≥ 1 and a stride in 0.." + length + ", got "
                    + length + ", " + stride);
        }
        if (stride == 0 && ids.length != (long) texts.size() * length) {
            throw new IllegalArgumentException("ids hold " + ids.length + " values, expected " + texts.size() + " × " + length);
        }
        if (stride > 0 && (texts.size() != 1 || labels != null)) {
            throw new IllegalArgumentException("windows are read from one unlabelled text, got " + texts.size());
        }
        if (labels != null && labels.length != texts.size()) {
            throw new IllegalArgumentException(labels.length + " labels for " + texts.size() + " texts");
        }
    }

    /**
     * A corpus of one text per row.
     *
     * @param texts the kept texts
     * @param ids [texts, length] ids
     * @param length the row length L
     * @param dropped lines left out as too long
     * @param labels a label id per text, or null
     */
    public EncodedCorpus(List<String> texts, int[] ids, int length, int dropped, int[] labels) {
        this(texts, ids, length, dropped, labels, 0);
    }

    /**
     * {@return the windows of a running text: rows of {@code length} ids starting every {@code stride} symbols (as
     * many as fit)}
     *
     * @param text the running text
     * @param ids its ids, one per symbol ({@link dev.microdiffusion.core.spi.Tokenizer#encodeText})
     * @param length the row length L
     * @param stride 1 for a window at every offset, L for consecutive windows
     */
    public static EncodedCorpus windows(String text, int[] ids, int length, int stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("windows need a stride ≥ 1, got " + stride);
        }
        return new EncodedCorpus(List.of(text), ids, length, 0, null, stride);
    }

    /** {@return whether the rows are windows of one running text rather than one text each} */
    public boolean isWindows() {
        return stride > 0;
    }

    /**
     * {@return where row {@code row} starts in {@link #ids()}}
     *
     * @param row a row, below {@link #size()}
     */
    public int rowOffset(int row) {
        return row * (stride > 0 ? stride : length);
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
        requireTexts("labels");
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

    /** {@return how many rows: texts, or windows} */
    public int size() {
        if (stride == 0) {
            return texts.size();
        }
        return ids.length < length ? 0 : (ids.length - length) / stride + 1;
    }

    private void requireTexts(String what) {
        if (stride > 0) {
            throw new IllegalArgumentException(what + " need a corpus of one text per row, not windows of a text");
        }
    }

    /**
     * {@return what bits-per-character figures count: characters (code points) of every text plus one for its end;
     * for windows, every position of every row (a window is all characters, with no end)}
     */
    public long symbolsWithEnds() {
        if (stride > 0) {
            return (long) size() * length;
        }
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
        long h = 1125899906842597L ^ size() ^ ((long) length << 32) ^ ((long) stride << 48);
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
        requireTexts("a seeded split");
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

    /**
     * {@return a running text split by its tail: windows at every offset of its first symbols to train on, consecutive
     * windows of its last {@code validationFraction} held out} nanoGPT's split: the first ⌊n·(1 − f)⌋ symbols train.
     *
     * @param validationFraction the share of symbols held out, in [0, 1)
     * @throws IllegalArgumentException if this is not a running text, or a part is shorter than one window
     */
    public Split tail(double validationFraction) {
        if (stride == 0) {
            throw new IllegalArgumentException("a tail split needs a running text, not a corpus of texts");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + validationFraction);
        }
        int n = ids.length;
        int cut = (int) (n * (1 - validationFraction));
        if (cut < length) {
            throw new IllegalArgumentException("the text's training part has " + cut + " symbols, fewer than one window"
                    + " of " + length + ": give a shorter row length or a longer text");
        }
        String text = texts.get(0);
        int at = text.offsetByCodePoints(0, cut);
        EncodedCorpus train = windows(text.substring(0, at), Arrays.copyOfRange(ids, 0, cut), length, 1);
        int held = (n - cut) / length * length;
        if (validationFraction > 0 && held == 0) {
            throw new IllegalArgumentException("the text's held-out part has " + (n - cut) + " symbols, fewer than one"
                    + " window of " + length + ": hold out more, or give a shorter row length");
        }
        String tailText = text.substring(at, text.offsetByCodePoints(at, held));
        EncodedCorpus validation = windows(tailText, Arrays.copyOfRange(ids, cut, cut + held), length, length);
        return new Split(train, validation);
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
