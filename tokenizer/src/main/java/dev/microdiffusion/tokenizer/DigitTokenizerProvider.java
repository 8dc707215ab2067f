package dev.microdiffusion.tokenizer;

import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.spi.TokenizerProvider;
import java.util.List;

/**
 * The {@link DigitTokenizer}s by name: {@code char-digits-2} and {@code char-digits-3} write each character in two
 * and three digits. A row length given to them counts digits (three-digit rows of 16 characters are 48 long).
 */
public abstract sealed class DigitTokenizerProvider implements TokenizerProvider {

    private final int digits;

    private DigitTokenizerProvider(int digits) {
        this.digits = digits;
    }

    /**
     * {@return the provider name of the tokenizer with {@code digits} digits per character}
     *
     * @param digits ℓ
     */
    public static String name(int digits) {
        return "char-digits-" + digits;
    }

    @Override
    public String name() {
        return name(digits);
    }

    @Override
    public String description() {
        return "each character as " + digits + " digits, for partial masking (a row length counts digits)";
    }

    @Override
    public Tokenizer fit(List<String> corpus, int maxLength) {
        return DigitTokenizer.fit(corpus, maxLength, digits);
    }

    @Override
    public Tokenizer fromVocabulary(String vocabulary, int maxLength) {
        return DigitTokenizer.ofVocabulary(vocabulary, maxLength, digits);
    }

    /** Two digits per character ({@code char-digits-2}). */
    public static final class Two extends DigitTokenizerProvider {
        /** The provider, for {@link java.util.ServiceLoader}. */
        public Two() {
            super(2);
        }
    }

    /** Three digits per character ({@code char-digits-3}). */
    public static final class Three extends DigitTokenizerProvider {
        /** The provider, for {@link java.util.ServiceLoader}. */
        public Three() {
            super(3);
        }
    }
}
