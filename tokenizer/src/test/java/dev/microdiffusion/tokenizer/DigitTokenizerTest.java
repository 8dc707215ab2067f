package dev.microdiffusion.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.Registry;
import dev.microdiffusion.core.spi.EncodedCorpus;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.spi.TokenizerProvider;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigitTokenizerTest {

    /** Every letter, one per line, so that rows of any length keep them all. */
    private static final List<String> ALPHABET = "abcdefghijklmnopqrstuvwxyz".chars().mapToObj(Character::toString)
            .toList();

    @Test
    void theBaseIsTheSmallestThatHoldsEveryCharacterAndPad() {
        // 26 letters and PAD: 27 codes
        assertEquals(3, DigitTokenizer.fit(ALPHABET, 48, 3).base());
        assertEquals(6, DigitTokenizer.fit(ALPHABET, 32, 2).base());
        assertEquals(27, DigitTokenizer.fit(ALPHABET, 48, 3).codes());
        assertEquals(2, DigitTokenizer.baseFor(4, 2));
        assertEquals(3, DigitTokenizer.baseFor(5, 2));
        assertEquals(2, DigitTokenizer.baseFor(2, 1));
    }

    @Test
    void eachCharacterIsItsCodeInDigitsMostSignificantFirst() {
        DigitTokenizer t = DigitTokenizer.fit(ALPHABET, 9, 3);
        assertEquals(3, t.maxLength() / t.tokensPerCharacter());
        assertEquals(4, t.vocabSize());
        assertEquals(3, t.maskId());
        assertEquals(-1, t.padId());
        // a = 0, z = 25 = 2·9 + 2·3 + 1, PAD = 26 = 222
        assertArrayEquals(new int[] {0, 0, 0, 2, 2, 1, 2, 2, 2}, t.encode("az"));
        assertArrayEquals(new int[] {1, 1, 1, 2, 2, 2, 2, 2, 2}, t.encode("n")); // n = 13 = 111
        assertEquals("[MASK]", t.symbol(3));
        assertEquals("2", t.symbol(2));
    }

    @Test
    void decodeDropsCharactersWithAMaskedDigitAndPadWhereverTheyStand() {
        DigitTokenizer t = DigitTokenizer.fit(ALPHABET, 12, 3);
        for (String text : List.of("emma", "ava", "z", "")) {
            assertEquals(text, t.decode(t.encode(text)));
        }
        int[] ids = t.encode("emma");
        ids[4] = t.maskId(); // the first m loses its middle digit
        assertEquals("ema", t.decode(ids));
        int[] inner = {0, 0, 0, 2, 2, 2, 0, 0, 1, 2, 2, 2}; // a, PAD, b, PAD
        assertEquals("ab", t.decode(inner));
        assertEquals("a", t.decode(inner, 0, 5), "a trailing part of a character is not one");
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {0, 4, 0}));
    }

    @Test
    void aTextEndsAtTheFirstCharacterSpeltAsPad() {
        DigitTokenizer t = DigitTokenizer.fit(ALPHABET, 12, 3);
        int[] inner = {0, 0, 0, 2, 2, 2, 0, 0, 1, 2, 2, 2}; // a, PAD, b, PAD
        assertEquals(3, t.end(inner, 0, 12));
        assertEquals("a", t.decode(inner, 0, t.end(inner, 0, 12)));
        int[] halfKnown = {0, 0, 0, 2, 3, 2, 0, 0, 1, 2, 2, 2}; // a, PAD with a masked digit, b, PAD
        assertEquals(9, t.end(halfKnown, 0, 12));
        assertEquals(12, t.end(t.encode("abcd"), 0, 12));
    }

    @Test
    void codesPastPadAreNoCharacter() {
        DigitTokenizer t = DigitTokenizer.fit(ALPHABET, 4, 2); // base 6: codes 27..35 are unused
        assertEquals("", t.decode(new int[] {5, 5, 4, 3}));
        assertEquals("b", t.decode(new int[] {0, 1, 5, 5}));
    }

    @Test
    void rowsHoldWholeCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DigitTokenizer.fit(ALPHABET, 16, 3));
        assertTrue(e.getMessage().contains("multiple of 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DigitTokenizer.ofVocabulary("ab", 2, 3));
        assertThrows(IllegalArgumentException.class, () -> DigitTokenizer.fit(ALPHABET, 0, 0));
    }

    @Test
    void aCorpusKeepsTheCharacterTokenizersTextsAndCounts() {
        List<String> lines = List.of("Emma", "", "olivia", "averyveryverylongname", "ava");
        EncodedCorpus byDigit = DigitTokenizer.fit(lines, 18, 3).encodeCorpus(lines);
        EncodedCorpus byCharacter = CharTokenizer.fit(lines, 6).encodeCorpus(lines);
        assertEquals(byCharacter.texts(), byDigit.texts());
        assertEquals(byCharacter.dropped(), byDigit.dropped());
        assertEquals(byCharacter.symbolsWithEnds(), byDigit.symbolsWithEnds(), "bits per character count characters");
        assertEquals(18, byDigit.length());
        DigitTokenizer t = DigitTokenizer.fit(lines, 18, 3);
        assertArrayEquals(t.encode("olivia"), Arrays.copyOfRange(byDigit.ids(), 18, 36));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.encodeCorpus(List.of("emma", "zoë")));
        assertTrue(e.getMessage().startsWith("line 2: "), e.getMessage());
    }

    @Test
    void theRegistryRebuildsItFromWhatAModelFileSaves() {
        for (int digits : new int[] {2, 3}) {
            TokenizerProvider provider = Registry.find(TokenizerProvider.class, "char-digits-" + digits);
            Tokenizer fitted = provider.fit(ALPHABET, 8 * digits);
            assertEquals("char-digits-" + digits, fitted.name());
            Tokenizer rebuilt = provider.fromVocabulary(fitted.vocabulary(), fitted.maxLength());
            assertEquals(fitted.toString(), rebuilt.toString());
            assertArrayEquals(fitted.encode("quiz"), rebuilt.encode("quiz"));
            assertEquals(digits, rebuilt.tokensPerCharacter());
        }
    }
}
