package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.corpus.TextCorpus;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.sampling.Template;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.spi.TokenizerProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running text read as windows: the split, the tokenizer, training, saving, resuming and what is refused. */
class TextCorpusTest {

    /** 2,000 characters of verse-like text: upper case, punctuation, spaces, newlines, a tab and an emoji. */
    static final String TEXT = text();

    private static String text() {
        StringBuilder sb = new StringBuilder();
        String[] lines = {"FIRST CITIZEN:\n", "Before we proceed any further, hear me speak.\n", "\n",
            "ALL:\tSpeak, speak.\n", "You are all resolved rather to die than to famish? \uD83D\uDE00\n"};
        for (int i = 0; sb.length() < 2000; i++) {
            sb.append(lines[i % lines.length]);
        }
        return sb.toString();
    }

    private static TrainingRun.Builder small() {
        return TrainingRun.builder(TextCorpus.of(TEXT)).maxLength(16).steps(30).batchSize(8).threads(1)
                .denoiserSetting("d_model", 16).denoiserSetting("heads", 2).denoiserSetting("layers", 1);
    }

    @Test
    void theTextIsSplitByItsTailIntoWindowsAtEveryOffsetAndConsecutiveHeldOutOnes() throws IOException {
        TrainingRun run = small().build();
        Tokenizer tokenizer = run.model().tokenizer();
        assertEquals("text", tokenizer.name());
        assertEquals(16, tokenizer.maxLength());
        int n = TEXT.codePointCount(0, TEXT.length());
        int cut = (int) (n * 0.9);
        EncodedCorpus train = run.trainingSet();
        EncodedCorpus held = run.validationSet();
        assertTrue(train.isWindows());
        assertEquals(1, train.stride());
        assertEquals(cut - 16 + 1, train.size(), "a window at every offset of the first 90 %");
        assertEquals(16, held.stride());
        assertEquals((n - cut) / 16, held.size(), "consecutive windows of the last 10 %, the rest left out");
        assertEquals((long) held.size() * 16, held.symbolsWithEnds(), "every position of a window is a character");
        // window r starts at symbol r; the held-out ids follow the training part's
        int[] all = tokenizer.encodeText(TEXT);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 5, 21),
                java.util.Arrays.copyOfRange(train.ids(), train.rowOffset(5), train.rowOffset(5) + 16));
        assertArrayEquals(java.util.Arrays.copyOfRange(all, cut, cut + 16),
                java.util.Arrays.copyOfRange(held.ids(), held.rowOffset(0), held.rowOffset(0) + 16));
        assertEquals(TEXT.substring(0, TEXT.offsetByCodePoints(0, cut)), train.texts().get(0));
    }

    @Test
    void theTextTokenizerKeepsCaseSpacesNewlinesTabsAndCharactersBeyondTheBmp() {
        Tokenizer tokenizer = Registry.find(TokenizerProvider.class, "text").fit(List.of(TEXT), 16);
        String vocabulary = tokenizer.vocabulary();
        for (String c : List.of("F", "f", " ", "\n", "\t", ",", "?", "\uD83D\uDE00")) {
            assertTrue(vocabulary.contains(c), "the vocabulary holds '" + c + "'");
        }
        int[] ids = tokenizer.encodeText(TEXT);
        assertEquals(TEXT.codePointCount(0, TEXT.length()), ids.length, "one id per code point");
        assertEquals(TEXT, tokenizer.decode(ids));
        assertEquals("\\n", tokenizer.symbol(tokenizer.encodeText("\n")[0]), "a newline is shown, not printed");
        Tokenizer back = Registry.find(TokenizerProvider.class, "text").fromVocabulary(vocabulary, 16);
        assertArrayEquals(ids, back.encodeText(TEXT));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.encodeText("ALL:\nSpeak, J"));
        assertTrue(unknown.getMessage().startsWith("line 2, column 8: 'J'"), unknown.getMessage());
        Tokenizer names = Registry.find(TokenizerProvider.class, "char").fit(List.of("anna", "bob"), 8);
        assertThrows(UnsupportedOperationException.class, () -> names.encodeText("anna"));
    }

    @Test
    void itTrainsSavesReloadsAndFindsItsHeldOutTextAgain(@TempDir Path dir) throws IOException {
        TrainingRun run = small().build();
        run.train();
        Nelbo nelbo = run.evaluate();
        assertTrue(Double.isFinite(nelbo.bitsPerChar()) && nelbo.bitsPerChar() > 0, "" + nelbo.bitsPerChar());
        Path file = dir.resolve("text.safetensors");
        run.save(file);
        DiffusionModel back = DiffusionModel.load(file);
        assertTrue(back.split().orElseThrow().tail());
        Nelbo again = back.evaluation().nodes(nelbo.nodes()).seed(TrainingRun.EVALUATION_SEED)
                .heldOut(TextCorpus.of(TEXT));
        assertEquals(nelbo.bitsPerChar(), again.bitsPerChar(), 0.0);
        assertEquals(run.model().generation().count(3).generate(), back.generation().count(3).generate());
        assertThrows(IllegalArgumentException.class, () -> back.evaluation().heldOut(List.of("anna", "bob")),
                "a tail split is not a draw of texts");
    }

    @Test
    void aResumedRunOnTheTextEqualsTheUninterruptedOne(@TempDir Path dir) throws IOException {
        TrainingRun whole = small().build();
        whole.train();
        Path saved = dir.resolve("half.safetensors");
        TrainingRun half = small().steps(30).checkpointEvery(15, saved).build();
        // the run stops after its checkpoint at step 15, as a killed process would
        assertThrows(IllegalStateException.class, () -> half.train((step, steps, loss, t) -> {
            if (step + 1 == 20) {
                throw new IllegalStateException("stop");
            }
        }));
        assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.builder(List.of("anna", "bob")).resumeFrom(saved).build());
        TrainingRun resumed = TrainingRun.builder(TextCorpus.of(TEXT)).threads(2).resumeFrom(saved).build();
        assertEquals(15, resumed.step());
        resumed.train();
        assertArrayEquals(whole.losses(), resumed.losses());
        List<Parameter> a = whole.model().denoiser().parameters();
        List<Parameter> b = resumed.model().denoiser().parameters();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).values(), b.get(i).values(), a.get(i).name());
        }
    }

    @Test
    void theTrainingWindowsAreNotEvaluatedAndTheyRefuseTextsOnlyOperations() throws IOException {
        TrainingRun run = small().build();
        assertThrows(IllegalArgumentException.class, () -> run.model().evaluation().nelbo(run.trainingSet()));
        assertThrows(IllegalArgumentException.class, () -> run.trainingSet().split(0.1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.builder(TextCorpus.of(TEXT)).labels(List.of("a")).build());
        IllegalArgumentException shortText = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.builder(TextCorpus.of("To be, or not to be")).maxLength(256).build());
        assertTrue(shortText.getMessage().contains("fewer than one window"), shortText.getMessage());
    }

    @Test
    void aFileIsReadWholeOrRefusedWithItsLine(@TempDir Path dir) throws IOException {
        Path good = Files.write(dir.resolve("good.txt"), ("\uFEFFLine one\r\nLine two\n").getBytes(StandardCharsets.UTF_8));
        assertEquals("Line one\nLine two\n", TextCorpus.read(good).text());
        Path binary = Files.write(dir.resolve("binary.bin"), new byte[] {'a', '\n', 'b', 0, 'c'});
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> TextCorpus.read(binary));
        assertTrue(nul.getMessage().endsWith("binary.bin: line 2 holds a NUL byte: a binary file, not text"),
                nul.getMessage());
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'a', '\n', 'b', '\n', (byte) 0xE9, '\n'});
        IllegalArgumentException notUtf8 = assertThrows(IllegalArgumentException.class, () -> TextCorpus.read(latin1));
        assertTrue(notUtf8.getMessage().endsWith("latin1.txt: line 3 is not UTF-8 text"), notUtf8.getMessage());
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TextCorpus.read(empty)).getMessage()
                .endsWith("empty.txt is empty"));
        Path control = Files.write(dir.resolve("escape.txt"), "ok\nbad \u001b[31m\n".getBytes(StandardCharsets.UTF_8));
        IllegalArgumentException escape = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.builder(TextCorpus.read(control)).maxLength(2).validationFraction(0).build());
        assertTrue(escape.getMessage().contains("line 2, column 5: U+001B is a control character"),
                escape.getMessage());
    }

    @Test
    void templatesEscapeTheCharactersTheyGiveAMeaningToAndReadCodePoints() {
        Tokenizer text = Registry.find(TokenizerProvider.class, "text").fit(List.of("a_b [c] \\ d\n\uD83D\uDE00"), 12);
        Template pattern = Template.pattern(text, "a\\_\\[_\\]\\\\\\n\uD83D\uDE00");
        int[] ids = pattern.ids();
        String expected = "a_[?]\\\n\uD83D\uDE00";
        int[] codePoints = expected.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            int id = codePoints[i] == '?' ? text.maskId() : text.encodeText(Character.toString(codePoints[i]))[0];
            assertEquals(id, ids[i], "position " + i);
        }
        assertEquals(8, pattern.exactLength(), "an escape and the character beyond the BMP are one position each");
        Template prefix = Template.of(text, "a_", null, 4);
        assertEquals(text.encodeText("_")[0], prefix.ids()[1], "a prefix's '_' is the character");
        assertEquals(text.maskId(), prefix.ids()[2]);
        assertThrows(IllegalArgumentException.class, () -> Template.pattern(text, "ab\\"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Template.pattern(text, "aZ"));
        assertTrue(unknown.getMessage().startsWith("'Z' at position 2 of the template is not in the model's vocabulary"),
                unknown.getMessage());
    }
}
