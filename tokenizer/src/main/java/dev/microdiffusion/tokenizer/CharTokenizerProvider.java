package dev.microdiffusion.tokenizer;

import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.spi.TokenizerProvider;
import java.util.List;

public final class CharTokenizerProvider implements TokenizerProvider {

    public static final String NAME = "char";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "one token per character: sorted corpus characters, then PAD, then MASK";
    }

    @Override
    public Tokenizer fit(List<String> corpus, int maxLength) {
        return CharTokenizer.fit(corpus, maxLength);
    }

    @Override
    public Tokenizer fromVocabulary(String vocabulary, int maxLength) {
        return CharTokenizer.ofVocabulary(vocabulary, maxLength);
    }
}
