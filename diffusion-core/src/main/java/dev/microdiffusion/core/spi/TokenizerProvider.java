package dev.microdiffusion.core.spi;

import java.util.List;

/** Makes {@link Tokenizer}s; registered in {@code META-INF/services/dev.microdiffusion.core.spi.TokenizerProvider}. */
public interface TokenizerProvider extends NamedProvider {

    /** A tokenizer whose vocabulary is learnt from a corpus (lines longer than {@code maxLength} don't count). */
    Tokenizer fit(List<String> corpus, int maxLength);

    /**
     * A tokenizer with a given vocabulary, as saved with a model: the symbols in id order, without PAD and MASK.
     */
    Tokenizer fromVocabulary(String vocabulary, int maxLength);
}
