package dev.microdiffusion.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.spi.TokenizerProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CharTokenizerTest {

    @Test
    void idsAreSortedCharactersThenPadThenMask() {
        CharTokenizer t = CharTokenizer.fit(List.of("emma", "Olivia ", "ava"), 6);
        assertEquals("aeilmov", t.vocabulary());
        assertEquals(9, t.vocabSize());
        assertEquals(7, t.padId());
        assertEquals(8, t.maskId());
        assertArrayEquals(new int[] {1, 4, 4, 0, 7, 7}, t.encode("emma"));
        assertEquals("[PAD]", t.symbol(7));
        assertEquals("[MASK]", t.symbol(8));
        assertEquals("m", t.symbol(4));
    }

    @Test
    void decodeDropsPadAndMaskWhereverTheyStand() {
        CharTokenizer t = CharTokenizer.fit(List.of("emma", "olivia", "ava"), 6);
        assertEquals("emma", t.decode(t.encode("emma")));
        assertEquals("emma", t.decode(new int[] {1, 8, 4, 7, 4, 0}));
        for (String name : List.of("ava", "olivia", "a", "")) {
            assertEquals(name, t.decode(t.encode(name)));
        }
    }

    @Test
    void corpusLinesAreNormalisedBlankOnesSkippedLongOnesDroppedAndCounted() {
        CharTokenizer t = CharTokenizer.fit(List.of("abc"), 3);
        EncodedCorpus c = t.encodeCorpus(List.of(" ABC", "", "cab", "abca", "   ", "b"));
        assertEquals(List.of("abc", "cab", "b"), c.texts());
        assertEquals(1, c.dropped());
        assertArrayEquals(new int[] {0, 1, 2, 2, 0, 1, 1, 3, 3}, c.ids());
    }

    @Test
    void anUnknownCharacterIsAnErrorNamingTheLine() {
        CharTokenizer t = CharTokenizer.fit(List.of("abc"), 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.encodeCorpus(List.of("abc", "", "bad")));
        assertTrue(e.getMessage().startsWith("line 3: 'd'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.encode("abcabc"));
    }

    @Test
    void anEmptyCorpusIsAnError() {
        assertEquals("the corpus is empty",
                assertThrows(IllegalArgumentException.class, () -> CharTokenizer.fit(List.of(), 5)).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CharTokenizer.fit(List.of("  ", "toolongname"), 5));
        assertTrue(e.getMessage().contains("no non-blank line of at most 5"), e.getMessage());
        CharTokenizer t = CharTokenizer.fit(List.of("ab"), 2);
        assertThrows(IllegalArgumentException.class, () -> t.encodeCorpus(List.of("", " ")));
    }

    @Test
    void aVocabularyRoundTripsAndRejectsRepeats() {
        CharTokenizer t = CharTokenizer.fit(List.of("zoe", "amy"), 4);
        CharTokenizer same = CharTokenizer.ofVocabulary(t.vocabulary(), 4);
        assertArrayEquals(t.encode("amy"), same.encode("amy"));
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.ofVocabulary("abca", 4));
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.ofVocabulary("", 4));
    }

    @Test
    void isRegisteredAsChar() {
        Tokenizer t = Registry.find(TokenizerProvider.class, "char").fit(List.of("ab"), 3);
        assertEquals(4, t.vocabSize());
    }

    @Test
    void theReferenceNamesGiveTheReferenceIds() throws IOException {
        Path names = Path.of(System.getProperty("microdiffusion.names", "../../shared/data/names.txt"));
        assumeTrue(Files.isRegularFile(names), "the reference names data set is not here: " + names);
        List<String> lines = Files.readAllLines(names, StandardCharsets.UTF_8);
        CharTokenizer t = CharTokenizer.fit(lines, 12);
        assertEquals("abcdefghijklmnopqrstuvwxyz", t.vocabulary());
        assertEquals(26, t.padId());
        assertEquals(27, t.maskId());
        EncodedCorpus c = t.encodeCorpus(lines);
        assertEquals(31_995, c.size());
        assertEquals(32_033 - 31_995, c.dropped());
    }
}
