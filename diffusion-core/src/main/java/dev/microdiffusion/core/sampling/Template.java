package dev.microdiffusion.core.sampling;

import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.util.Messages;
import java.util.Arrays;

/**
 * What a generated row must look like: fixed symbols at given positions, masked positions to fill (any symbol, or
 * one of a set), and optionally an exact length. Samplers never change a fixed position, and draw a set position's
 * symbol only from its set (the others are left out of the distribution before drawing, not repaired after). Made
 * from a pattern ({@code "[aeiou]m__a"}: '_' is a position to fill with any symbol, {@code [aeiou]} one to fill with
 * a vowel, {@code [^xyz]} one to fill with anything but x, y and z; the length is exact), or from a prefix, a suffix
 * and a length. One symbol per character (code point), as the char tokenizers have it; {@value #ESCAPE} makes the
 * next character literal, so that a vocabulary holding '_' or '[' (running text does) can still fix them.
 */
public final class Template {

    /** The character that marks a position to fill in a pattern. */
    public static final char BLANK = '_';
    /**
     * The character that makes the next one literal in a pattern: {@code \_}, {@code \[}, {@code \]} and {@code
     * \\} stand for those characters, {@code \n} for a newline and {@code \t} for a tab — for a vocabulary that
     * holds them, as running text does.
     */
    public static final char ESCAPE = '\\';

    private final int[] ids;
    private final int exactLength;
    private final String text;
    /** Per position, the ids a sampler may draw there, or null for any (all null when the template has no set). */
    private final boolean[][] allowed;

    private Template(int[] ids, int exactLength, String text) {
        this(ids, exactLength, text, new boolean[ids.length][]);
    }

    private Template(int[] ids, int exactLength, String text, boolean[][] allowed) {
        this.ids = ids;
        this.exactLength = exactLength;
        this.text = text;
        this.allowed = allowed;
    }

    /**
     * {@return every position masked: unconstrained generation}
     *
     * @param tokenizer the tokenizer
     */
    public static Template free(Tokenizer tokenizer) {
        int[] ids = new int[tokenizer.maxLength()];
        Arrays.fill(ids, tokenizer.maskId());
        return new Template(ids, 0, "");
    }

    /**
     * A pattern of fixed characters, {@value #BLANK} blanks and sets ({@code [aeiou]}, {@code [^xyz]}), one position
     * each; the text has exactly the pattern's length.
     *
     * @param tokenizer the tokenizer
     * @param pattern the pattern
     * @throws IllegalArgumentException if the pattern is empty, longer than the rows, holds a character outside the
     *                                  vocabulary (naming it and its position), or a set that is unclosed, empty or
     *                                  leaves no symbol
     * @return the template
     */
    public static Template pattern(Tokenizer tokenizer, String pattern) {
        String normalized = tokenizer.normalize(pattern);
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException("the template is empty");
        }
        int[] cps = normalized.codePoints().toArray();
        int[] ids = free(tokenizer).ids;
        boolean[][] allowed = new boolean[ids.length][];
        int position = 0;
        for (int i = 0; i < cps.length; position++) {
            checkFits(tokenizer, position + 1, "the template '" + pattern + "'");
            int c = cps[i];
            if (c == ESCAPE) {
                ids[position] = symbol(tokenizer, escaped(cps, i, pattern), position, "template");
                i += 2;
            } else if (c == '[') {
                int close = closing(cps, i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("the set at position " + (position + 1) + " of the template '"
                            + pattern + "' has no closing ']'");
                }
                allowed[position] = set(tokenizer, cps, i + 1, close, position, pattern);
                i = close + 1;
            } else {
                if (c != BLANK) {
                    ids[position] = symbol(tokenizer, c, position, "template");
                }
                i++;
            }
        }
        Arrays.fill(ids, position, ids.length, tokenizer.padId());
        return new Template(ids, position, normalized, allowed);
    }

    /** The character escaped at {@code cps[at]} ('\\'): {@code \n} a newline, {@code \t} a tab, else itself. */
    private static int escaped(int[] cps, int at, String pattern) {
        if (at + 1 >= cps.length) {
            throw new IllegalArgumentException("the template '" + pattern + "' ends with a lone '\\' (write \\\\ "
                    + "for a backslash)");
        }
        int e = cps[at + 1];
        return e == 'n' ? '\n' : e == 't' ? '\t' : e;
    }

    /** The index of the ']' that closes a set whose members start at {@code from}, or −1; escaped ones skipped. */
    private static int closing(int[] cps, int from) {
        for (int i = from; i < cps.length; i++) {
            if (cps[i] == ESCAPE) {
                i++;
            } else if (cps[i] == ']') {
                return i;
            }
        }
        return -1;
    }

    /** The ids a set allows: its symbols, or with a leading '^' every symbol but those (never PAD or MASK). */
    private static boolean[] set(Tokenizer tokenizer, int[] cps, int from, int to, int position, String pattern) {
        boolean negated = from < to && cps[from] == '^';
        int start = negated ? from + 1 : from;
        if (start == to) {
            throw new IllegalArgumentException("the set at position " + (position + 1) + " of the template is empty");
        }
        boolean[] allowed = new boolean[tokenizer.vocabSize()];
        if (negated) {
            Arrays.fill(allowed, true);
            allowed[tokenizer.padId()] = false;
            allowed[tokenizer.maskId()] = false;
        }
        for (int k = start; k < to; k++) {
            int c = cps[k];
            if (c == ESCAPE) {
                c = escaped(cps, k, pattern);
                k++;
            }
            allowed[symbol(tokenizer, c, position, "template's set")] = !negated;
        }
        for (boolean a : allowed) {
            if (a) {
                return allowed;
            }
        }
        throw new IllegalArgumentException("the set [" + new String(cps, from, to - from) + "] at position "
                + (position + 1) + " of the template leaves no symbol");
    }

    /** {@code text} with every character a template gives a meaning to ('\\', '_', '[', ']') escaped. */
    private static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == ESCAPE || cp == BLANK || cp == '[' || cp == ']') {
                sb.append((char) ESCAPE);
            }
            sb.appendCodePoint(cp);
        });
        return sb.toString();
    }

    /**
     * {@return a prefix and a suffix around positions to fill} With {@code length} (may be null) the text has exactly
     * that many characters; a suffix needs one, since nothing else says where the text ends.
     *
     * @param tokenizer the tokenizer
     * @param prefix the prefix, or null
     * @param suffix the suffix, or null
     * @param length the exact length, or null
     */
    public static Template of(Tokenizer tokenizer, String prefix, String suffix, Integer length) {
        return of(tokenizer, prefix, suffix, length, null);
    }

    /**
     * As {@link #of(Tokenizer, String, String, Integer)}, and with {@code maxChars} (may be null; not with an exact
     * length) no text is longer than that: positions from it on are PAD.
     *
     * @param tokenizer the tokenizer
     * @param prefix the prefix, or null
     * @param suffix the suffix, or null
     * @param length the exact length, or null
     * @param maxChars the most characters, or null
     * @return the template
     */
    public static Template of(Tokenizer tokenizer, String prefix, String suffix, Integer length, Integer maxChars) {
        if (maxChars != null) {
            if (length != null) {
                throw new IllegalArgumentException("give an exact length or a maximum, not both");
            }
            if (maxChars < 1) {
                throw new IllegalArgumentException("the maximum length must be ≥ 1, got " + maxChars);
            }
            checkFits(tokenizer, maxChars, "a maximum of " + maxChars);
            Template open = of(tokenizer, prefix, suffix, null, null);
            if (open.text.codePointCount(0, open.text.length()) - 1 > maxChars) {
                throw new IllegalArgumentException("the prefix is longer than the maximum of " + maxChars);
            }
            int[] ids = open.ids;
            Arrays.fill(ids, maxChars, ids.length, tokenizer.padId());
            return new Template(ids, 0, open.text + " (at most " + maxChars + ")");
        }
        String p = prefix == null ? "" : tokenizer.normalize(prefix);
        String s = suffix == null ? "" : tokenizer.normalize(suffix);
        if (length == null) {
            if (!s.isEmpty()) {
                throw new IllegalArgumentException("a suffix needs an exact length: nothing else says where "
                        + "the name ends");
            }
            int[] cps = p.codePoints().toArray();
            checkFits(tokenizer, cps.length, "the prefix '" + p + "'");
            int[] ids = free(tokenizer).ids;
            for (int i = 0; i < cps.length; i++) {
                ids[i] = symbol(tokenizer, cps[i], i, "prefix");
            }
            return new Template(ids, 0, p + "…");
        }
        if (length < 1) {
            throw new IllegalArgumentException("the length must be ≥ 1, got " + length);
        }
        checkFits(tokenizer, length, "a length of " + length);
        int fixed = p.codePointCount(0, p.length()) + s.codePointCount(0, s.length());
        if (fixed > length) {
            throw new IllegalArgumentException("prefix '" + p + "' and suffix '" + s + "' do not fit in " + length
                    + " characters");
        }
        // the prefix and suffix are characters, whatever they hold: escaped, so that '_' or '[' is itself
        StringBuilder pattern = new StringBuilder(escape(p));
        pattern.append(String.valueOf(BLANK).repeat(length - fixed));
        pattern.append(escape(s));
        return pattern(tokenizer, pattern.toString());
    }

    private static void checkFits(Tokenizer tokenizer, int length, String what) {
        if (length > tokenizer.maxLength()) {
            throw new IllegalArgumentException(what + " is longer than the model's " + tokenizer.maxLength()
                    + " positions");
        }
    }

    private static int symbol(Tokenizer tokenizer, int codePoint, int position, String where) {
        try {
            return tokenizer.encode(Character.toString(codePoint))[0];
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + Messages.printable(Character.toString(codePoint), 8)
                    + "' at position " + (position + 1) + " of the " + where + " is not in the model's vocabulary ("
                    + Messages.printable(tokenizer.vocabulary(), 120) + ")");
        }
    }

    /** {@return the ids of a row: MASK where to fill, PAD after an exact length} */
    public int[] ids() {
        return ids.clone();
    }

    /** {@return whether some position is a set} */
    public boolean hasSets() {
        for (boolean[] a : allowed) {
            if (a != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@return the ids a sampler may draw at {@code position}, or null for any: a copy}
     *
     * @param position the position
     */
    public boolean[] allowed(int position) {
        return allowed[position] == null ? null : allowed[position].clone();
    }

    /** The live per-position table, for the canvas (not to be changed). */
    boolean[][] allowedTable() {
        return allowed;
    }

    /**
     * {@return the exact length of the text, or 0 when it is free (a masked position may then be PAD, ending the text)}
     */
    public int exactLength() {
        return exactLength;
    }

    /** {@return whether this template fixes nothing} */
    public boolean isFree() {
        return exactLength == 0 && text.isEmpty();
    }

    @Override
    public String toString() {
        return isFree() ? "(free)" : text;
    }
}
