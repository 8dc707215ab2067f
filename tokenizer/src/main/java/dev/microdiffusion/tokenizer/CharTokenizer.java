package dev.microdiffusion.tokenizer;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * One token per character (Unicode code point). Ids are the vocabulary's characters in sorted order, then PAD, then
 * MASK — the reference's order (a–z → 0–25, PAD 26, MASK 27 on the names), so weights stay interchangeable. Texts
 * are normalised as the reference does: stripped and lower-cased, one code point at a time (so that lower-casing
 * never adds a combining mark, as {@code "İ".toLowerCase()} would), a leading byte-order mark dropped.
 *
 * <p>Not every character may be a symbol: control and format characters (a tab, NUL, a zero-width space) and the
 * characters name templates give a meaning to ({@value #RESERVED}: blank, set brackets, PAD as shown) are refused,
 * naming the line.
 *
 * <p>The same class reads running text as the "text" tokenizer ({@link #fitText}): nothing is normalised (case and
 * spaces are kept), newline and tab are symbols, and no character is reserved (templates escape theirs with a
 * backslash); {@link #encodeText} gives the ids of a whole text, which a text corpus cuts into windows.
 */
public final class CharTokenizer implements Tokenizer {

    public static final String PAD_SYMBOL = "[PAD]";
    public static final String MASK_SYMBOL = "[MASK]";
    /** Characters with a meaning in templates ('_' a blank, '[', ']' a set) and displays ('.' PAD). */
    public static final String RESERVED = "_.[]";

    private final int[] codePoints;
    private final boolean text;
    private final int maxLength;
    private final int padId;
    private final int maskId;

    private CharTokenizer(int[] sortedCodePoints, int maxLength, boolean text) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
        }
        if (sortedCodePoints.length == 0) {
            throw new IllegalArgumentException("the vocabulary is empty");
        }
        this.codePoints = sortedCodePoints;
        this.text = text;
        this.maxLength = maxLength;
        this.padId = sortedCodePoints.length;
        this.maskId = sortedCodePoints.length + 1;
    }

    /**
     * A tokenizer whose vocabulary is every character of the corpus's kept lines (normalised, not blank, at most
     * {@code maxLength} characters).
     *
     * @throws IllegalArgumentException if no line is kept
     */
    public static CharTokenizer fit(List<String> corpus, int maxLength) {
        TreeSet<Integer> seen = new TreeSet<>();
        for (int n = 0; n < corpus.size(); n++) {
            String text = normalizeText(corpus.get(n));
            if (!text.isEmpty() && text.codePointCount(0, text.length()) <= maxLength) {
                String where = "line " + (n + 1);
                text.codePoints().forEach(cp -> seen.add(allowed(cp, where, false)));
            }
        }
        if (seen.isEmpty()) {
            throw new IllegalArgumentException(corpus.isEmpty() ? "the corpus is empty"
                    : "the corpus has no non-blank line of at most " + maxLength + " characters");
        }
        return new CharTokenizer(seen.stream().mapToInt(Integer::intValue).toArray(), maxLength, false);
    }

    /**
     * A text tokenizer whose vocabulary is every character of the texts as they are (a leading byte-order mark
     * dropped), whatever their length: the "text" tokenizer.
     *
     * @param texts the running texts (a text corpus is one)
     * @param maxLength the row length L
     * @return the tokenizer
     * @throws IllegalArgumentException naming the line and column of a character that cannot be a symbol, or if there
     *                                  is no character at all
     */
    public static CharTokenizer fitText(List<String> texts, int maxLength) {
        TreeSet<Integer> seen = new TreeSet<>();
        for (String t : texts) {
            String body = stripMark(t);
            Position at = new Position();
            body.codePoints().forEach(cp -> {
                seen.add(allowed(cp, at.toString(), true));
                at.advance(cp);
            });
        }
        if (seen.isEmpty()) {
            throw new IllegalArgumentException("the text is empty");
        }
        return new CharTokenizer(seen.stream().mapToInt(Integer::intValue).toArray(), maxLength, true);
    }

    /**
     * The text tokenizer of a saved vocabulary.
     *
     * @param vocabulary the symbols, in any order
     * @param maxLength the row length L
     * @return the tokenizer
     * @throws IllegalArgumentException for an empty vocabulary, one with a repeated character, or one that cannot be
     *                                  a symbol
     */
    public static CharTokenizer ofTextVocabulary(String vocabulary, int maxLength) {
        return new CharTokenizer(sortedVocabulary(vocabulary, true), maxLength, true);
    }

    /** Line and column of the character being read, for messages. */
    private static final class Position {
        private long line = 1;
        private long column = 1;

        void advance(int codePoint) {
            if (codePoint == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }

        @Override
        public String toString() {
            return "line " + line + ", column " + column;
        }
    }

    /**
     * A tokenizer with exactly these characters, in this order's sorted form.
     *
     * @throws IllegalArgumentException for an empty vocabulary, or one with a repeated character
     */
    public static CharTokenizer ofVocabulary(String vocabulary, int maxLength) {
        return new CharTokenizer(sortedVocabulary(vocabulary, false), maxLength, false);
    }

    private static int[] sortedVocabulary(String vocabulary, boolean text) {
        int[] cps = vocabulary.codePoints().toArray();
        for (int cp : cps) {
            allowed(cp, "the vocabulary", text);
        }
        int[] sorted = cps.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("the vocabulary repeats '" + Character.toString(sorted[i]) + "'");
            }
        }
        return sorted;
    }

    @Override
    public String name() {
        return text ? TextTokenizerProvider.NAME : CharTokenizerProvider.NAME;
    }

    @Override
    public String vocabulary() {
        StringBuilder sb = new StringBuilder();
        for (int cp : codePoints) {
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return codePoints.length + 2;
    }

    @Override
    public int padId() {
        return padId;
    }

    @Override
    public int maskId() {
        return maskId;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public String normalize(String value) {
        return text ? stripMark(value) : normalizeText(value);
    }

    private static String stripMark(String value) {
        return value.startsWith("\uFEFF") ? value.substring(1) : value;
    }

    private static String normalizeText(String text) {
        String stripped = text.startsWith("\uFEFF") ? text.substring(1).strip() : text.strip();
        StringBuilder lower = new StringBuilder(stripped.length());
        stripped.codePoints().map(Character::toLowerCase).forEach(lower::appendCodePoint);
        return lower.toString();
    }

    /**
     * {@code codePoint}, if it may be a symbol.
     *
     * @throws IllegalArgumentException naming {@code where}, the character and why not
     */
    private static int allowed(int codePoint, String where, boolean text) {
        if (text && (codePoint == '\n' || codePoint == '\t')) {
            return codePoint;
        }
        int type = Character.getType(codePoint);
        String why = type == Character.CONTROL ? "a control character"
                : type == Character.FORMAT ? "a format character (invisible)"
                : type == Character.SURROGATE || type == Character.UNASSIGNED ? "not a character"
                : type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR ? "a line break"
                : !text && RESERVED.indexOf(codePoint) >= 0 ? "reserved: templates and displays give it a meaning"
                : null;
        if (why != null) {
            throw new IllegalArgumentException(where + ": " + String.format("U+%04X", codePoint)
                    + (type == Character.CONTROL || type == Character.FORMAT ? "" : " '" + Character.toString(codePoint)
                            + "'") + " is " + why + ", not a symbol a text may hold");
        }
        return codePoint;
    }

    /** The id of one character, or −1 if it is not in the vocabulary. */
    public int idOf(int codePoint) {
        int i = Arrays.binarySearch(codePoints, codePoint);
        return i >= 0 ? i : -1;
    }

    @Override
    public void encode(String value, int[] out, int offset) {
        int length = value.codePointCount(0, value.length());
        if (length > maxLength) {
            throw new IllegalArgumentException("'" + shown(value) + "' has " + length
                    + " characters, more than the max length " + maxLength);
        }
        int i = offset;
        for (int at = 0; at < value.length(); ) {
            int cp = value.codePointAt(at);
            int id = idOf(cp);
            if (id < 0) {
                throw new IllegalArgumentException("'" + shown(Character.toString(cp)) + "' (U+"
                        + String.format("%04X", cp) + ") in '" + shown(value) + "' is not in the vocabulary \""
                        + shown(vocabulary()) + "\"");
            }
            out[i++] = id;
            at += Character.charCount(cp);
        }
        Arrays.fill(out, i, offset + maxLength, padId);
    }

    /**
     * {@inheritDoc} Every character of the text, as it is (a leading byte-order mark dropped); only the text tokenizer
     * reads running text.
     *
     * @throws UnsupportedOperationException for the name tokenizer ("char"), which reads one name per row
     */
    @Override
    public int[] encodeText(String value) {
        if (!text) {
            return Tokenizer.super.encodeText(value);
        }
        String body = stripMark(value);
        int[] out = new int[body.codePointCount(0, body.length())];
        Position at = new Position();
        int i = 0;
        for (int k = 0; k < body.length(); ) {
            int cp = body.codePointAt(k);
            int id = idOf(cp);
            if (id < 0) {
                throw new IllegalArgumentException(at + ": '" + shown(Character.toString(cp)) + "' (U+"
                        + String.format("%04X", cp) + ") is not in the vocabulary");
            }
            out[i++] = id;
            at.advance(cp);
            k += Character.charCount(cp);
        }
        return out;
    }

    /** A text as one printable line: newline and tab as \\n and \\t, other control characters by code. */
    private static String shown(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        value.codePoints().forEach(cp -> {
            if (cp == '\n') {
                sb.append("\\n");
            } else if (cp == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    @Override
    public String decode(int[] ids, int offset, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = offset, end = offset + length; i < end; i++) {
            int id = ids[i];
            if (id >= 0 && id < codePoints.length) {
                sb.appendCodePoint(codePoints[id]);
            } else if (id != padId && id != maskId) {
                throw new IllegalArgumentException("id " + id + " is outside the vocabulary of " + vocabSize());
            }
        }
        return sb.toString();
    }

    @Override
    public String symbol(int id) {
        if (id == padId) {
            return PAD_SYMBOL;
        }
        if (id == maskId) {
            return MASK_SYMBOL;
        }
        if (id < 0 || id >= codePoints.length) {
            throw new IllegalArgumentException("id " + id + " is outside the vocabulary of " + vocabSize());
        }
        return text ? shown(Character.toString(codePoints[id])) : Character.toString(codePoints[id]);
    }

    @Override
    public EncodedCorpus encodeCorpus(List<String> lines) {
        List<String> kept = new ArrayList<>();
        int dropped = 0;
        int[] ids = new int[Math.max(16, lines.size()) * maxLength];
        for (int n = 0; n < lines.size(); n++) {
            String line = normalize(lines.get(n));
            if (line.isEmpty()) {
                continue;
            }
            if (line.codePointCount(0, line.length()) > maxLength) {
                dropped++;
                continue;
            }
            try {
                encode(line, ids, kept.size() * maxLength);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (n + 1) + ": " + e.getMessage(), e);
            }
            kept.add(line);
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException(lines.isEmpty() ? "the corpus is empty"
                    : "the corpus has no non-blank line of at most " + maxLength + " characters (" + dropped
                            + " longer ones dropped)");
        }
        return new EncodedCorpus(kept, Arrays.copyOf(ids, kept.size() * maxLength), maxLength, dropped);
    }

    @Override
    public String toString() {
        return "CharTokenizer[" + name() + ", vocabulary=\"" + shown(vocabulary()) + "\", maxLength=" + maxLength + "]";
    }
}
