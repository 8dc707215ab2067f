package dev.microdiffusion.examples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A text file read a batch of lines at a time (so a file of any size is processed in bounded memory). */
final class TextLines implements AutoCloseable {

    /** Lines per batch the bulk commands hand to the library. */
    static final int BATCH = 4096;

    private final Path file;
    private final BufferedReader reader;
    private long line;

    private TextLines(Path file, BufferedReader reader) {
        this.file = file;
        this.reader = reader;
    }

    /**
     * Opens a UTF-8 text file.
     *
     * @throws IllegalArgumentException naming the option and the file if it is missing, a directory or unreadable
     */
    static TextLines open(Path file, String option) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a directory, not a text file");
        }
        try {
            return new TextLines(file, Files.newBufferedReader(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    /** The next lines (up to {@link #BATCH}), or an empty list at the end. */
    List<String> next() throws IOException {
        List<String> lines = new ArrayList<>(BATCH);
        try {
            for (String s = null; lines.size() < BATCH && (s = reader.readLine()) != null; ) {
                line++;
                lines.add(line == 1 && s.startsWith("\uFEFF") ? s.substring(1) : s);
            }
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": line " + (line + 1) + " is not UTF-8 text");
        }
        return lines;
    }

    /** A field of a tab-separated line, with any tab, return or newline in it written as an escape. */
    static String field(String text) {
        return text == null ? "" : text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r")
                .replace("\n", "\\n");
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
