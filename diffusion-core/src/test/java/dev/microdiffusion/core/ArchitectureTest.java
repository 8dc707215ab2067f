package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core's layers, read from its sources' package and import lines: every import stays in its own layer or goes
 * down, never up. From the top: the façade ({@code dev.microdiffusion.core}, what a user calls); the engines
 * ({@code internal…}: training, sampling, evaluation, checkpoints, assembly); the vocabulary the API is written in
 * (the provider contracts in {@code spi}, the values in {@code sampling}, {@code corpus}, {@code training},
 * {@code evaluation}, {@code io}, and the layers of {@code nn} with {@code check}); the matrix kernel ({@code math});
 * small helpers ({@code util}). The module exports the façade, the vocabulary and the kernel interface, nothing else.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.microdiffusion.core";
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.microdiffusion\\.[\\w.]+?)\\.[A-Z]",
            Pattern.MULTILINE);
    private static final Pattern EXPORT = Pattern.compile("^\\s*exports ([\\w.]+);", Pattern.MULTILINE);

    /** The layers, bottom first; a package belongs to the first whose prefix names it. */
    private enum Layer {
        HELPERS, KERNEL, VOCABULARY, ENGINES, FACADE;

        static Layer of(String pkg) {
            if (pkg.equals(ROOT)) {
                return FACADE;
            }
            String sub = pkg.substring(ROOT.length() + 1);
            String first = sub.contains(".") ? sub.substring(0, sub.indexOf('.')) : sub;
            return switch (first) {
                case "internal" -> ENGINES;
                case "spi", "sampling", "corpus", "training", "evaluation", "io", "nn", "check" -> VOCABULARY;
                case "math" -> KERNEL;
                case "util" -> HELPERS;
                default -> throw new AssertionError("package " + pkg + " is in no layer: add it to one");
            };
        }
    }

    private record Source(Path file, String pkg, List<String> imports) {
    }

    private static List<Source> sources() throws IOException {
        List<Source> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve(ROOT.replace('.', '/')))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(file);
                Matcher p = PACKAGE.matcher(text);
                assertTrue(p.find(), file + " has no package line");
                List<String> imports = new ArrayList<>();
                Matcher i = IMPORT.matcher(text);
                while (i.find()) {
                    imports.add(i.group(1));
                }
                out.add(new Source(file, p.group(1), imports));
            }
        }
        return out;
    }

    @Test
    void noImportRunsBackUpTheLayers() throws IOException {
        List<String> upward = new ArrayList<>();
        int imports = 0;
        for (Source s : sources()) {
            Layer from = Layer.of(s.pkg());
            for (String target : s.imports()) {
                if (!target.startsWith(ROOT)) {
                    continue;
                }
                imports++;
                Layer to = Layer.of(target);
                if (to.compareTo(from) > 0) {
                    upward.add(s.file().getFileName() + " (" + from + ") imports " + target + " (" + to + ")");
                }
            }
        }
        assertTrue(imports > 100, "the walk found the imports: " + imports);
        assertEquals(List.of(), upward);
    }

    @Test
    void helpersImportNothingOfTheProject() throws IOException {
        for (Source s : sources()) {
            if (Layer.of(s.pkg()) == Layer.HELPERS) {
                for (String target : s.imports()) {
                    assertTrue(!target.startsWith(ROOT) || Layer.of(target) == Layer.HELPERS,
                            s.file() + " imports " + target);
                }
            }
        }
    }

    @Test
    void theModuleExportsTheFacadeTheVocabularyAndTheKernelInterfaceOnly() throws IOException {
        TreeSet<String> exported = new TreeSet<>();
        Matcher m = EXPORT.matcher(Files.readString(SOURCES.resolve("module-info.java")));
        while (m.find()) {
            exported.add(m.group(1));
        }
        Map<String, Layer> packages = new TreeMap<>();
        for (Source s : sources()) {
            packages.put(s.pkg(), Layer.of(s.pkg()));
        }
        packages.forEach((pkg, layer) -> {
            boolean shown = layer == Layer.FACADE || layer == Layer.VOCABULARY || layer == Layer.KERNEL;
            assertEquals(shown, exported.contains(pkg), pkg + " (" + layer + ")" + (shown ? " must be exported"
                    : " must not be exported"));
        });
        assertTrue(packages.keySet().containsAll(exported), "exports a package with no sources: " + exported);
    }
}
