package dev.microdiffusion.tokenizer;

import dev.microdiffusion.core.spi.EncodedCorpus;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.List;

/**
 * Each character written as ℓ digits in base b, most significant first: the sub-tokens of partial masking (MDM-Prime,
 * Chao et al. 2025, arXiv 2505.18495). The absorbing process then masks digits, not characters, so a character can be
 * partly known (its first digit revealed, its others masked), and a denoiser that knows the code
 * ({@code digit-transformer}) predicts a character from what is left of it.
 *
 * <p>A character's code is its {@link CharTokenizer} id; PAD's code is the last, so a row's characters and padding
 * are {@code codes = characters + 1} codes, and b is the smallest base with b<sup>ℓ</sup> ≥ codes (on the reference
 * names, 26 letters and PAD: base 6 for two digits, base 3 for three, where 3³ = 27 leaves no code unused). Ids are
 * the digits 0 … b−1 and MASK = b; there is no single PAD id ({@link #padId()} is −1). Rows are {@link #maxLength()}
 * = ℓ × the most characters long. Decoding drops a character with a masked digit, and PAD's code and codes past it
 * (which a model may give some probability but no text has), wherever they stand, as the char tokenizer drops PAD and
 * MASK; a text that ends at its first PAD ends at the first character spelt as PAD's code ({@link #end}).
 */
public final class DigitTokenizer implements Tokenizer {

    private final CharTokenizer characters;
    private final int digits;
    private final int base;
    private final int codes;
    private final int maxLength;

    private DigitTokenizer(CharTokenizer characters, int digits) {
        this.characters = characters;
        this.digits = digits;
        this.codes = characters.padId() + 1;
        this.base = baseFor(codes, digits);
        this.maxLength = characters.maxLength() * digits;
    }

    /** The smallest base b ≥ 2 with b^digits ≥ codes. */
    static int baseFor(int codes, int digits) {
        int b = 2;
        while (power(b, digits) < codes) {
            b++;
        }
        return b;
    }

    private static long power(int b, int e) {
        long p = 1;
        for (int i = 0; i < e; i++) {
            p *= b;
        }
        return p;
    }

    /**
     * A tokenizer whose characters are every character of the corpus's kept lines, each written in {@code digits}
     * digits.
     *
     * @param corpus    the texts, one per line
     * @param maxLength the row length in digits: {@code digits} × the most characters a kept text may have
     * @param digits    ℓ, digits per character (at least 1)
     * @return the tokenizer
     * @throws IllegalArgumentException if the row length is not a whole number of characters, or no line is kept
     */
    public static DigitTokenizer fit(List<String> corpus, int maxLength, int digits) {
        return new DigitTokenizer(CharTokenizer.fit(corpus, characters(maxLength, digits)), digits);
    }

    /**
     * A tokenizer with exactly these characters (as saved with a model), each written in {@code digits} digits.
     *
     * @param vocabulary the characters
     * @param maxLength  the row length in digits
     * @param digits     ℓ
     * @return the tokenizer
     * @throws IllegalArgumentException for a row length that is not a whole number of characters, an empty vocabulary
     *                                  or one with a repeated character
     */
    public static DigitTokenizer ofVocabulary(String vocabulary, int maxLength, int digits) {
        return new DigitTokenizer(CharTokenizer.ofVocabulary(vocabulary, characters(maxLength, digits)), digits);
    }

    private static int characters(int maxLength, int digits) {
        if (digits < 1 || digits > 16) {
            throw new IllegalArgumentException("digits per character must be in 1..16, got " + digits);
        }
        if (maxLength < digits || maxLength % digits != 0) {
            throw new IllegalArgumentException("rows of " + maxLength + " tokens do not hold whole characters of "
                    + digits + " digits: give a max length that is a multiple of " + digits);
        }
        return maxLength / digits;
    }

    /** {@return ℓ, the digits of one character} */
    public int digits() {
        return digits;
    }

    /** {@return b, the base of the digits} */
    public int base() {
        return base;
    }

    /** {@return how many codes a character position can hold: the characters and PAD} */
    public int codes() {
        return codes;
    }

    @Override
    public String name() {
        return DigitTokenizerProvider.name(digits);
    }

    @Override
    public String vocabulary() {
        return characters.vocabulary();
    }

    @Override
    public int vocabSize() {
        return base + 1;
    }

    /** {@return −1: a text's end is PAD's code, spelt in ℓ digits, not one id} */
    @Override
    public int padId() {
        return -1;
    }

    @Override
    public int maskId() {
        return base;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public int tokensPerCharacter() {
        return digits;
    }

    @Override
    public String normalize(String text) {
        return characters.normalize(text);
    }

    @Override
    public void encode(String text, int[] out, int offset) {
        int[] ids = characters.encode(text);
        for (int i = 0; i < ids.length; i++) {
            write(ids[i], out, offset + i * digits);
        }
    }

    /** Writes a code's digits, most significant first. */
    private void write(int code, int[] out, int at) {
        for (int j = digits - 1; j >= 0; j--) {
            out[at + j] = code % base;
            code /= base;
        }
    }

    @Override
    public String decode(int[] ids, int offset, int length) {
        StringBuilder sb = new StringBuilder(length / digits);
        int mask = maskId();
        for (int at = offset, end = offset + length - length % digits; at < end; at += digits) {
            int code = 0;
            boolean masked = false;
            for (int j = 0; j < digits; j++) {
                int id = ids[at + j];
                if (id < 0 || id > mask) {
                    throw new IllegalArgumentException("id " + id + " is outside the vocabulary of " + vocabSize());
                }
                masked |= id == mask;
                code = code * base + id;
            }
            if (!masked && code < characters.padId()) {
                sb.append(characters.symbol(code));
            }
        }
        return sb.toString();
    }

    /** {@return the first position of a character whose digits all stand and spell PAD's code, or {@code length}} */
    @Override
    public int end(int[] ids, int offset, int length) {
        int pad = characters.padId();
        for (int at = 0; at + digits <= length; at += digits) {
            int code = 0;
            for (int j = 0; j < digits && code >= 0; j++) {
                int id = ids[offset + at + j];
                code = id == maskId() ? -1 : code * base + id;
            }
            if (code == pad) {
                return at;
            }
        }
        return length;
    }

    @Override
    public String symbol(int id) {
        if (id == maskId()) {
            return CharTokenizer.MASK_SYMBOL;
        }
        if (id < 0 || id > maskId()) {
            throw new IllegalArgumentException("id " + id + " is outside the vocabulary of " + vocabSize());
        }
        return Integer.toString(id);
    }

    @Override
    public EncodedCorpus encodeCorpus(List<String> lines) {
        EncodedCorpus byCharacter = characters.encodeCorpus(lines);
        int[] chars = byCharacter.ids();
        int[] ids = new int[chars.length * digits];
        for (int i = 0; i < chars.length; i++) {
            write(chars[i], ids, i * digits);
        }
        return new EncodedCorpus(byCharacter.texts(), ids, maxLength, byCharacter.dropped());
    }

    @Override
    public String toString() {
        return "DigitTokenizer[vocabulary=\"" + vocabulary() + "\", digits=" + digits + ", base=" + base
                + ", maxLength=" + maxLength + "]";
    }
}
