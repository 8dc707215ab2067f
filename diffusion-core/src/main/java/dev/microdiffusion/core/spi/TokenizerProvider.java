package dev.microdiffusion.core.spi;

import java.util.List;

/** Makes {@link Tokenizer}s; registered in {@code META-INF/services/dev.microdiffusion.core.spi.TokenizerProvider}. */
public interface TokenizerProvider extends NamedProvider {

    /**
     * {@return a tokenizer whose vocabulary is learnt from a corpus (lines longer than {@code maxLength} don't count)}
     *
     * @param corpus the texts, one per line
     * @param maxLength L
     */
    Tokenizer fit(List<String> corpus, int maxLength);

    /**
     * {@return a tokenizer with a given vocabulary, as saved with a model: the symbols in id order, without PAD and
     * MASK}
     *
     * @param vocabulary the symbols in id order
     * @param maxLength L
     */
    Tokenizer fromVocabulary(String vocabulary, int maxLength);
}
