package dev.microdiffusion.core.sampling;

import dev.microdiffusion.core.spi.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows of token ids being generated, denoised in place by a {@link dev.microdiffusion.core.spi.Sampler}: a MASK id is a position still to be
 * generated, any other id is fixed and is never changed. A window of positions (all of them unless narrowed) says
 * which masked positions a sampler may fill now: masked positions outside it stay masked, as context (the
 * {@code blocks} sampler fills a row block by block this way).
 */
public final class Canvas {

    private final int[] tokens;
    private final int capacity;
    private final int length;
    private final int vocabSize;
    private final int padId;
    private final int maskId;
    private int rows;
    private int windowStart;
    private int windowEnd;
    private int noPadBefore;
    /** Per position, the ids a sampler may draw, or null (any); null when no position is restricted. */
    private boolean[][] allowed;
    /** The label every row is generated for, or −1 for none. */
    private int label = -1;

    /**
     * An empty canvas (no rows in use yet).
     *
     * @param capacity the most rows
     * @param length the row length L
     * @param vocabSize ids, PAD and MASK included
     * @param padId the PAD id
     * @param maskId the MASK id
     */
    public Canvas(int capacity, int length, int vocabSize, int padId, int maskId) {
        if (capacity < 1 || length < 1) {
            throw new IllegalArgumentException("a canvas needs at least one row and one position");
        }
        if (padId < 0 || padId >= vocabSize || maskId < 0 || maskId >= vocabSize || padId == maskId) {
            throw new IllegalArgumentException("PAD " + padId + " and MASK " + maskId + " must be distinct ids below "
                    + vocabSize);
        }
        this.tokens = new int[capacity * length];
        this.capacity = capacity;
        this.length = length;
        this.vocabSize = vocabSize;
        this.padId = padId;
        this.maskId = maskId;
        this.rows = capacity;
        this.windowEnd = length;
    }

    /**
     * {@return a canvas for up to {@code capacity} rows of a tokenizer's length}
     *
     * @param tokenizer the tokenizer whose row length and special ids the canvas takes
     * @param capacity the most rows
     */
    public static Canvas of(Tokenizer tokenizer, int capacity) {
        return new Canvas(capacity, tokenizer.maxLength(), tokenizer.vocabSize(), tokenizer.padId(), tokenizer.maskId());
    }

    /**
     * Uses the first {@code rows} rows, every position masked.
     *
     * @param rows how many rows to use
     * @return this
     */
    public Canvas reset(int rows) {
        setRows(rows);
        Arrays.fill(tokens, 0, rows * length, maskId);
        return this;
    }

    /**
     * Uses the first {@code rows} rows, each a copy of the template's ids; with an exact length, positions before it
     * may not become PAD.
     *
     * @param rows rows to use, at most the capacity
     * @param template what each row starts from
     * @return this canvas
     */
    public Canvas reset(int rows, Template template) {
        reset(rows, template.ids());
        this.noPadBefore = template.exactLength();
        this.allowed = template.hasSets() ? template.allowedTable() : null;
        return this;
    }

    /**
     * Uses the first {@code rows} rows, each a copy of {@code template} (length ids; MASK where to generate).
     *
     * @param rows rows to use, at most the capacity
     * @param template L ids
     * @return this canvas
     */
    public Canvas reset(int rows, int[] template) {
        if (template.length != length) {
            throw new IllegalArgumentException("template has " + template.length + " ids, the canvas rows " + length);
        }
        setRows(rows);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(template, 0, tokens, r * length, length);
        }
        return this;
    }

    private void setRows(int rows) {
        if (rows < 1 || rows > capacity) {
            throw new IllegalArgumentException("rows must be in 1.." + capacity + ", got " + rows);
        }
        this.rows = rows;
        this.windowStart = 0;
        this.windowEnd = length;
        this.noPadBefore = 0;
        this.allowed = null;
        this.label = -1;
    }

    /**
     * Generates every row for a label of a conditional model (−1: none); {@link #reset} clears it.
     *
     * @param label the label id, or −1 for none
     * @return this
     */
    public Canvas setLabel(int label) {
        if (label < -1) {
            throw new IllegalArgumentException("a label is ≥ 0, or −1 for none; got " + label);
        }
        this.label = label;
        return this;
    }

    /** {@return the label every row is generated for, or −1 for none} */
    public int label() {
        return label;
    }

    /**
     * Positions before this one may not be filled with PAD (a template's exact length; 0 when free).
     *
     * @return the first position that may become PAD
     */
    public int noPadBefore() {
        return noPadBefore;
    }

    /**
     * {@return the ids a sampler may draw at position {@code i} of every row (a template's set), or null when any may
     * be drawn} The live table: not to be changed.
     *
     * @param i the position
     */
    public boolean[] allowed(int i) {
        return allowed == null ? null : allowed[i];
    }

    /**
     * Lets samplers fill only the masked positions in [start, end) of each row; {@link #reset} opens all again.
     *
     * @param start the first position samplers may fill
     * @param end the position after the last
     * @return this canvas
     */
    public Canvas setWindow(int start, int end) {
        if (start < 0 || end > length || start >= end) {
            throw new IllegalArgumentException("window [" + start + ", " + end + ") is not inside [0, " + length + ")");
        }
        this.windowStart = start;
        this.windowEnd = end;
        return this;
    }

    /** {@return the first position samplers may fill} */
    public int windowStart() {
        return windowStart;
    }

    /** {@return the position after the last one samplers may fill} */
    public int windowEnd() {
        return windowEnd;
    }

    /**
     * {@return whether the position {@code i} of row {@code row} is masked and inside the window: one a sampler fills}
     *
     * @param row the row
     * @param i the position
     */
    public boolean isOpen(int row, int i) {
        return i >= windowStart && i < windowEnd && tokens[row * length + i] == maskId;
    }

    /**
     * Number of open positions (masked, inside the window) over all rows in use.
     *
     * @return the count
     */
    public int openCount() {
        int n = 0;
        for (int r = 0; r < rows; r++) {
            for (int i = r * length + windowStart, end = r * length + windowEnd; i < end; i++) {
                if (tokens[i] == maskId) {
                    n++;
                }
            }
        }
        return n;
    }

    /** {@return the live ids, [rows × length] row-major (the array may be longer)} */
    public int[] tokens() {
        return tokens;
    }

    /** {@return the rows in use} */
    public int rows() {
        return rows;
    }

    /** {@return the most rows} */
    public int capacity() {
        return capacity;
    }

    /** {@return the row length L} */
    public int length() {
        return length;
    }

    /** {@return the vocabulary size V, PAD and MASK included} */
    public int vocabSize() {
        return vocabSize;
    }

    /** {@return the PAD id} */
    public int padId() {
        return padId;
    }

    /** {@return the MASK id} */
    public int maskId() {
        return maskId;
    }

    /**
     * Number of masked positions over all rows in use.
     *
     * @return the count
     */
    public int maskedCount() {
        int n = 0;
        for (int i = 0, end = rows * length; i < end; i++) {
            if (tokens[i] == maskId) {
                n++;
            }
        }
        return n;
    }

    /**
     * {@return the rows in use, decoded as the reference does: PAD and MASK dropped wherever they stand}
     *
     * @param tokenizer the tokenizer the ids are from
     */
    public List<String> decode(Tokenizer tokenizer) {
        return decode(tokenizer, false);
    }

    /**
     * {@return the rows in use, decoded; with {@code endAtFirstPad} a row's text ends at its first PAD (what follows is
     * not part of it), otherwise PAD and MASK are dropped wherever they stand and the pieces joined (the reference)}
     *
     * @param tokenizer the tokenizer the ids are from
     * @param endAtFirstPad whether a text ends at its first PAD
     */
    public List<String> decode(Tokenizer tokenizer, boolean endAtFirstPad) {
        List<String> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            int n = length;
            if (endAtFirstPad) {
                for (int i = 0; i < length; i++) {
                    if (tokens[r * length + i] == padId) {
                        n = i;
                        break;
                    }
                }
            }
            out.add(tokenizer.decode(tokens, r * length, n));
        }
        return out;
    }
}
