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
}
