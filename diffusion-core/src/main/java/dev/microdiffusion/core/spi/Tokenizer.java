package dev.microdiffusion.core.spi;

import java.util.List;

/**
 * Maps text to fixed-length rows of token ids and back. Rows are right-padded with {@link #padId()};
 * {@link #maskId()} is the absorbing state of the diffusion process.
 */
public interface Tokenizer {

    /** The provider name that rebuilds this tokenizer from {@link #vocabulary()} ("char"). */
    String name();

    /**
     * The symbols in id order, without PAD and MASK: with {@link #maxLength()} all that
     * {@link TokenizerProvider#fromVocabulary} needs to rebuild this tokenizer (saved in checkpoints).
     */
    String vocabulary();

    /** Number of ids, PAD and MASK included. */
    int vocabSize();

    int padId();

    int maskId();

    /** Length of every encoded row. */
    int maxLength();

    /**
     * The normalised form of a text, as {@link #encode} sees it (the char tokenizer lower-cases and strips).
     */
    String normalize(String text);

    /**
     * Writes the ids of a normalised text into {@code out[offset .. offset + maxLength)}, padding with PAD.
     *
     * @throws IllegalArgumentException if the text is longer than {@link #maxLength()} or holds a symbol outside the
     *                                  vocabulary
     */
    void encode(String text, int[] out, int offset);

    /** The ids of a text, padded to {@link #maxLength()}. */
    default int[] encode(String text) {
        int[] ids = new int[maxLength()];
        encode(text, ids, 0);
        return ids;
    }

    /** The text of one row; PAD and MASK ids are dropped wherever they stand. */
    String decode(int[] ids, int offset, int length);

    default String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    /** A printable form of one id: the character itself, or {@code [PAD]} / {@code [MASK]}. */
    String symbol(int id);

    /**
     * Encodes a corpus, one text per line: lines are normalised, blank ones skipped, ones longer than
     * {@link #maxLength()} dropped and counted.
     *
     * @throws IllegalArgumentException naming the (1-based) line of a symbol outside the vocabulary, or if no line
     *                                  remains
     */
    EncodedCorpus encodeCorpus(List<String> lines);
}
