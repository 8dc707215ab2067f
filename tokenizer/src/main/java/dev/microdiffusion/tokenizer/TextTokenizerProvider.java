package dev.microdiffusion.tokenizer;

import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.spi.TokenizerProvider;
import java.util.List;

/**
 * The text tokenizer ("text"): one token per character of running text, kept as it is — upper and lower case,
 * digits, punctuation, space, newline and tab — ids the sorted characters, then PAD, then MASK. A text corpus is
 * encoded whole ({@link Tokenizer#encodeText}) and cut into windows of the row length.
 */
public final class TextTokenizerProvider implements TokenizerProvider {

    /** The provider's name. */
    public static final String NAME = "text";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "one token per character of running text, case and newlines kept: sorted characters, PAD, MASK";
    }

    @Override
    public Tokenizer fit(List<String> corpus, int maxLength) {
        return CharTokenizer.fitText(corpus, maxLength);
    }

    @Override
    public Tokenizer fromVocabulary(String vocabulary, int maxLength) {
        return CharTokenizer.ofTextVocabulary(vocabulary, maxLength);
    }
}
