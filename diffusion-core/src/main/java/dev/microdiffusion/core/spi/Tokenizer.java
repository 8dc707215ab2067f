package dev.microdiffusion.core.spi;

import java.util.List;

/**
 * Maps text to fixed-length rows of token ids and back. Rows are right-padded with {@link #padId()};
 * {@link #maskId()} is the absorbing state of the diffusion process. A tokenizer may spell each character in several
 * tokens ({@link #tokensPerCharacter()}), as partial masking's digit tokenizers do; it then has no single PAD id.
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

    /**
     * {@return the PAD id, or −1 when no single id ends a text (a tokenizer with several tokens per character spells
     * the end as it spells a character)}
     */
    int padId();

    /** {@return the MASK id} */
    int maskId();

    /**
     * {@return how many tokens spell one character: 1 (the default) for a tokenizer with a token per character; rows
     * are then {@link #maxLength()} / this many characters long} Templates, which give one symbol per position, need
     * a tokenizer with one token per character.
     */
    default int tokensPerCharacter() {
        return 1;
    }

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
     * {@return where a row's text ends: the position of its first PAD, or {@code length} when it has none} What
     * follows is not part of the text when decoding ends a text there. A tokenizer that spells PAD in several tokens
     * overrides it.
     *
     * @param ids the ids
     * @param offset where the row starts
     * @param length the row length
     */
    default int end(int[] ids, int offset, int length) {
        int pad = padId();
        for (int i = 0; i < length; i++) {
            if (ids[offset + i] == pad) {
                return i;
            }
        }
        return length;
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
