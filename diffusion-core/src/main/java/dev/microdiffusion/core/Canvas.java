package dev.microdiffusion.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows of token ids being generated, denoised in place by a {@link Sampler}: a MASK id is a position still to be
 * generated, any other id is fixed and is never changed.
 */
public final class Canvas {

    private final int[] tokens;
    private final int capacity;
    private final int length;
    private final int vocabSize;
    private final int padId;
    private final int maskId;
    private int rows;

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
    }

    /** A canvas for up to {@code capacity} rows of a tokenizer's length. */
    public static Canvas of(Tokenizer tokenizer, int capacity) {
        return new Canvas(capacity, tokenizer.maxLength(), tokenizer.vocabSize(), tokenizer.padId(), tokenizer.maskId());
    }

    /** Uses the first {@code rows} rows, every position masked. */
    public Canvas reset(int rows) {
        setRows(rows);
        Arrays.fill(tokens, 0, rows * length, maskId);
        return this;
    }

    /** Uses the first {@code rows} rows, each a copy of {@code template} (length ids; MASK where to generate). */
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
    }

    /** The live ids, [rows × length] row-major (the array may be longer). */
    public int[] tokens() {
        return tokens;
    }

    public int rows() {
        return rows;
    }

    public int capacity() {
        return capacity;
    }

    public int length() {
        return length;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int padId() {
        return padId;
    }

    public int maskId() {
        return maskId;
    }

    /** Number of masked positions over all rows in use. */
    public int maskedCount() {
        int n = 0;
        for (int i = 0, end = rows * length; i < end; i++) {
            if (tokens[i] == maskId) {
                n++;
            }
        }
        return n;
    }

    /** The rows in use, decoded. */
    public List<String> decode(Tokenizer tokenizer) {
        List<String> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            out.add(tokenizer.decode(tokens, r * length, length));
        }
        return out;
    }
}
