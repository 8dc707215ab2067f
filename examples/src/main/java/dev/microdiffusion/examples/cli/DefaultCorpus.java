package dev.microdiffusion.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
