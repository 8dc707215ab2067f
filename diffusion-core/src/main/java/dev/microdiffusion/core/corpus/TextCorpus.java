package dev.microdiffusion.core.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One running text to train on — a book, a play — rather than one text per line: a run reads it as windows of its
 * row length ({@link dev.microdiffusion.core.TrainingRun#builder(TextCorpus)}). Line ends are {@code \n} ({@code
 * \r\n} is read as {@code \n}); a leading byte-order mark is dropped.
 *
 * @param text   the text
 * @param source where it came from, for reports (a file name, say)
 */
public record TextCorpus(String text, String source) {

    /** The longest text read or accepted, in characters (UTF-16 units): 64 Mi, whose ids take 256 MB. */
    public static final int MAX_CHARACTERS = 1 << 26;

    /**
     * Checks the text.
     *
     * @param text the text
     * @param source where it came from
     * @throws IllegalArgumentException if the text is empty or longer than {@link #MAX_CHARACTERS}
     */
    public TextCorpus {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        if (text.isEmpty()) {
            throw new IllegalArgumentException(source + " is empty");
        }
        if (text.length() > MAX_CHARACTERS) {
            throw new IllegalArgumentException(source + " has " + text.length() + " characters, more than the "
                    + MAX_CHARACTERS + " a text corpus holds");
        }
    }

    /**
     * {@return a text given in code, {@code \r\n} read as {@code \n}}
     *
     * @param text the text
     */
    public static TextCorpus of(String text) {
        return new TextCorpus(normalise(text), "text");
    }

    /**
     * Reads a UTF-8 text file whole, in bounded memory: a file (or device, or pipe) longer than {@link
     * #MAX_CHARACTERS} is refused after reading that much, never swallowed.
     *
     * @param file the file
     * @return the text
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException naming the file and the line, for a file that is empty, too long, not UTF-8,
     *                                  or binary (a NUL byte)
     */
    public static TextCorpus read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // UTF-8 takes at least one byte per UTF-16 unit: more bytes than the bound is too long whatever they say
            bytes = in.readNBytes(MAX_CHARACTERS + 1);
        }
        if (bytes.length > MAX_CHARACTERS) {
            throw new IllegalArgumentException(file + " is longer than " + MAX_CHARACTERS + " bytes, more than a text "
                    + "corpus holds");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new IllegalArgumentException(file + ": line " + lineAt(bytes, i) + " holds a NUL byte: a binary "
                        + "file, not text");
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = utf8.decode(in, out, true);
        if (result.isError()) {
            throw new IllegalArgumentException(file + ": line " + lineAt(bytes, in.position()) + " is not UTF-8 text");
        }
        try {
            result = utf8.flush(out);
            if (result.isError()) {
                result.throwException();
            }
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": the end is not UTF-8 text");
        }
        out.flip();
        String text = out.toString();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        return new TextCorpus(normalise(text), file.toString());
    }

    private static String normalise(String text) {
        return text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n");
    }

    /** The 1-based line of byte {@code at}. */
    private static long lineAt(byte[] bytes, int at) {
        long line = 1;
        for (int i = 0; i < at && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** {@return how many characters (code points) the text holds} */
    public int characters() {
        return text.codePointCount(0, text.length());
    }

    @Override
    public String toString() {
        return "TextCorpus[" + source + ", " + text.length() + " characters]";
    }
}
