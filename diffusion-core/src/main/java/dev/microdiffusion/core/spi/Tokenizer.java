package dev.microdiffusion.core.spi;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import java.util.List;

/**
 * Maps text to fixed-length rows of token ids and back. Rows are right-padded with {@link #padId()};
 * {@link #maskId()} is the absorbing state of the diffusion process.
 */
public interface Tokenizer {

    /** {@return the provider name that rebuilds this tokenizer from {@link #vocabulary()} ("char")} */
    String name();

    /**
     * {@return the symbols in id order, without PAD and MASK: with {@link #maxLength()} all that {@link
     * TokenizerProvider#fromVocabulary} needs to rebuild this tokenizer (saved in checkpoints)}
     */
    String vocabulary();

    /**
     * Number of ids, PAD and MASK included.
     *
     * @return V
     */
    int vocabSize();

    /** {@return the PAD id} */
    int padId();

    /** {@return the MASK id} */
    int maskId();

    /**
     * Length of every encoded row.
     *
     * @return L
     */
    int maxLength();

    /**
     * {@return the normalised form of a text, as {@link #encode} sees it (the char tokenizer lower-cases and strips)}
     *
     * @param text a text as given
     */
    String normalize(String text);

    /**
     * Writes the ids of a normalised text into {@code out[offset .. offset + maxLength)}, padding with PAD.
     *
     * @param text a normalised text
     * @param out receives the ids
     * @param offset where the row starts in {@code out}
     * @throws IllegalArgumentException if the text is longer than {@link #maxLength()} or holds a symbol outside the
     *                                  vocabulary
     */
    void encode(String text, int[] out, int offset);

    /**
     * {@return the ids of a text, padded to {@link #maxLength()}}
     *
     * @param text a normalised text
     */
    default int[] encode(String text) {
        int[] ids = new int[maxLength()];
        encode(text, ids, 0);
        return ids;
    }

    /**
     * {@return the ids of a running text, one per symbol, unpadded and of any length: what a text corpus is cut into
     * windows of {@link #maxLength()} from}
     *
     * @param text a whole text (a book, say)
     * @throws IllegalArgumentException      naming the line and column of a symbol outside the vocabulary
     * @throws UnsupportedOperationException for a tokenizer that reads one text per row only (the default)
     */
    default int[] encodeText(String text) {
        throw new UnsupportedOperationException("the '" + name() + "' tokenizer reads one text per row; running text "
                + "needs one that reads it whole, such as 'text'");
    }

    /**
     * {@return the text of one row; PAD and MASK ids are dropped wherever they stand}
     *
     * @param ids the ids
     * @param offset where the row starts
     * @param length the row length
     */
    String decode(int[] ids, int offset, int length);

    /**
     * {@return the text of a row of ids; PAD and MASK ids are dropped wherever they stand}
     *
     * @param ids one row of ids
     */
    default String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    /**
     * {@return a printable form of one id: the character itself, or {@code [PAD]} / {@code [MASK]}}
     *
     * @param id an id
     */
    String symbol(int id);

    /**
     * Encodes a corpus, one text per line: lines are normalised, blank ones skipped, ones longer than
     * {@link #maxLength()} dropped and counted.
     *
     * @param lines the corpus, one text per line
     * @throws IllegalArgumentException naming the (1-based) line of a symbol outside the vocabulary, or if no line
     *                                  remains
     * @return the encoded corpus
     */
    EncodedCorpus encodeCorpus(List<String> lines);
}
