package dev.microdiffusion.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** A description for logs and reports. */
    public static String source() {
        return "datafaker " + RESOURCE + " (male_first_name + female_first_name)";
    }

    /** The lines of a corpus file (UTF-8), or these names when {@code file} is null. */
    public static List<String> lines(Path file) throws IOException {
        if (file == null) {
            return names();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such corpus file: " + file);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text");
        }
    }

    /** A description of a corpus file, or of these names when {@code file} is null. */
    public static String source(Path file) {
        return file == null ? source() : file.toString();
    }

    public static List<String> names() {
        ClassLoader loader = DefaultCorpus.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: is net.datafaker:datafaker there?");
            }
            Map<?, ?> root = new Yaml(new LoaderOptions()).load(in);
            Map<?, ?> name = child(child(child(root, "en"), "faker"), "name");
            TreeSet<String> names = new TreeSet<>();
            for (String key : List.of("male_first_name", "female_first_name")) {
                Object list = name.get(key);
                if (!(list instanceof List<?> entries)) {
                    throw new IllegalStateException(RESOURCE + " has no list " + key);
                }
                for (Object entry : entries) {
                    String text = String.valueOf(entry).strip().toLowerCase(Locale.ROOT);
                    if (!text.isEmpty()) {
                        names.add(text);
                    }
                }
            }
            return new ArrayList<>(names);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static Map<?, ?> child(Map<?, ?> map, String key) {
        Object value = map == null ? null : map.get(key);
        if (!(value instanceof Map<?, ?> child)) {
            throw new IllegalStateException(RESOURCE + " has an unexpected layout: no map '" + key + "'");
        }
        return child;
    }
}
