package dev.microdiffusion.examples;

import dev.microdiffusion.core.corpus.LabelledCorpus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The corpus used when the user gives none: the English first names (male and female) that the datafaker library
 * ships in its {@code en/name.yml}, lower-cased, without duplicates, sorted. About 5,000 real names, so a fresh clone
 * trains on real data without any file of ours.
 */
public final class DefaultCorpus {

    static final String RESOURCE = "en/name.yml";

    private DefaultCorpus() {
    }

    /** The longest corpus file read: far more than any list of names (the reference's has 230 thousand). */
    static final long MAX_CORPUS_CHARS = 256L << 20;
    /** The longest line read: no text a model's row can hold comes near it. */
    static final int MAX_LINE_CHARS = 1 << 16;

    /** A description for logs and reports. */
    public static String source() {
        return "datafaker " + RESOURCE + " (male_first_name + female_first_name)";
    }

    /** The lines of a corpus file (UTF-8), or these names when {@code file} is null. */
    public static List<String> lines(Path file) throws IOException {
        if (file == null) {
            return names();
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("the corpus " + file + " is a directory, not a file");
        }
        // read with a bound, so that an endless source (/dev/zero, a pipe that never ends) is refused, not swallowed
        List<String> lines = new ArrayList<>();
        long chars = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            char[] buffer = new char[1 << 14];
            StringBuilder line = new StringBuilder();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                chars += n;
                if (chars > MAX_CORPUS_CHARS) {
                    throw new IllegalArgumentException("the corpus " + file + " is longer than " + MAX_CORPUS_CHARS
                            + " characters");
                }
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        lines.add(line.toString());
                        line.setLength(0);
                    } else if (c != '\r') {
                        if (line.length() == MAX_LINE_CHARS) {
                            throw new IllegalArgumentException("the corpus " + file + ": line " + (lines.size() + 1)
                                    + " is longer than " + MAX_LINE_CHARS + " characters");
                        }
                        line.append(c);
                    }
                }
            }
            if (line.length() > 0) {
                lines.add(line.toString());
            }
            return lines;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such corpus file: " + file);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text (at about character " + chars + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the corpus " + file + ": " + e.getMessage());
        }
    }

    /** A description of a corpus file, or of these names when {@code file} is null. */
    public static String source(Path file) {
        return file == null ? source() : file.toString();
    }

    public static List<String> names() {
        Map<?, ?> name = nameSection();
        TreeSet<String> names = new TreeSet<>();
        for (String key : List.of("male_first_name", "female_first_name")) {
            names.addAll(names(name, key));
        }
        return new ArrayList<>(names);
    }

    /** The {@code en.faker.name} section of the resource. */
    private static Map<?, ?> nameSection() {
        ClassLoader loader = DefaultCorpus.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: is net.datafaker:datafaker there?");
            }
            Map<?, ?> root = new Yaml(new LoaderOptions()).load(in);
            return child(child(child(root, "en"), "faker"), "name");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** One list of the section, lower-cased and stripped, blanks left out. */
    private static TreeSet<String> names(Map<?, ?> section, String key) {
        Object list = section.get(key);
        if (!(list instanceof List<?> entries)) {
            throw new IllegalStateException(RESOURCE + " has no list " + key);
        }
        TreeSet<String> names = new TreeSet<>();
        for (Object entry : entries) {
            String text = String.valueOf(entry).strip().toLowerCase(Locale.ROOT);
            if (!text.isEmpty()) {
                names.add(text);
            }
        }
        return names;
    }

    /** A description of the labelled default corpus. */
    public static String labelledSource() {
        return "datafaker " + RESOURCE + " (male_first_name as male, female_first_name as female; names on both lists "
                + "left out)";
    }

    /**
     * The default names with their list as label, {@code male} or {@code female}: lower-cased, sorted; a name on
     * both lists is left out, since neither label is its own.
     */
    public static LabelledCorpus labelledNames() {
        Map<String, TreeSet<String>> lists = new LinkedHashMap<>();
        Map<?, ?> name = nameSection();
        for (String key : List.of("male_first_name", "female_first_name")) {
            lists.put(key, names(name, key));
        }
        TreeMap<String, String> labelled = new TreeMap<>();
        lists.get("male_first_name").forEach(n -> labelled.put(n, "male"));
        for (String n : lists.get("female_first_name")) {
            if (labelled.remove(n) == null && !lists.get("male_first_name").contains(n)) {
                labelled.put(n, "female");
            }
        }
        return new LabelledCorpus(new ArrayList<>(labelled.keySet()), new ArrayList<>(labelled.values()));
    }

    private static Map<?, ?> child(Map<?, ?> map, String key) {
        Object value = map == null ? null : map.get(key);
        if (!(value instanceof Map<?, ?> child)) {
            throw new IllegalStateException(RESOURCE + " has an unexpected layout: no map '" + key + "'");
        }
        return child;
    }
}
