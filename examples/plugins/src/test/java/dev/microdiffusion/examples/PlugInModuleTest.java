package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plug-ins are built from the library's exported types alone: each compiles as a module of its own that
 * requires the core and nothing else, registered with {@code provides} (javac refuses a type of a package the core
 * does not export). The README's plug-in tutorial shows the time-agnostic Transformer's own text.
 */
class PlugInModuleTest {

    private static final Path PLUGINS = Path.of("src/main/java/dev/microdiffusion/examples/plugin");

    /** The library's jars (or class directories) and what they bring, for the module path. */
    private static String modulePath() {
        List<String> library = List.of("diffusion-core", "ojalgo", "commons-rng", "jackson-core-",
                "jackson-databind-", "jackson-annotations-");
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .filter(entry -> library.stream().anyMatch(entry::contains))
                .filter(entry -> !entry.contains("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static void compilesAsAModule(Path dir, String provider, String... classes) throws IOException {
        Path sources = dir.resolve("src");
        Path pkg = Files.createDirectories(sources.resolve("dev/microdiffusion/examples/plugin"));
        for (String name : classes) {
            Files.copy(PLUGINS.resolve(name + ".java"), pkg.resolve(name + ".java"));
        }
        Files.writeString(sources.resolve("module-info.java"), "module example.plugin {\n"
                + "    requires dev.microdiffusion.core;\n"
                + "    provides dev.microdiffusion.core.spi.DenoiserProvider with dev.microdiffusion.examples.plugin."
                + provider + ";\n}\n");
        List<String> files;
        try (var walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        String[] args = new String[files.size() + 4];
        args[0] = "--module-path";
        args[1] = modulePath();
        args[2] = "-d";
        args[3] = dir.resolve("out").toString();
        for (int i = 0; i < files.size(); i++) {
            args[4 + i] = files.get(i);
        }
        Javac.Result result = Javac.run(args);
        assertEquals(0, result.exitCode(), result.messages());
    }

    @Test
    void theTimeAgnosticTransformerNeedsOnlyTheExportedApi(@TempDir Path dir) throws IOException {
        compilesAsAModule(dir, "TimelessTransformerProvider", "TimelessTransformer", "TimelessTransformerProvider");
    }

    @Test
    void theConvolutionalDenoiserNeedsOnlyTheExportedApi(@TempDir Path dir) throws IOException {
        compilesAsAModule(dir, "ConvolutionDenoiserProvider", "ConvolutionDenoiser", "ConvolutionDenoiserProvider",
                "TimelessTransformer");
    }

    @Test
    void theNeighbourDenoiserNeedsOnlyTheExportedApi(@TempDir Path dir) throws IOException {
        compilesAsAModule(dir, "NeighbourDenoiserProvider", "NeighbourDenoiser", "NeighbourDenoiserProvider");
    }

    @Test
    void theTutorialShowsThePlugInsOwnText() throws IOException {
        String readme = Files.readString(Path.of("../..", "docs", "PLUGINS.md"), StandardCharsets.UTF_8);
        String source = Files.readString(PLUGINS.resolve("TimelessTransformer.java"), StandardCharsets.UTF_8);
        int start = readme.indexOf("<!-- plugin:start -->");
        int end = readme.indexOf("<!-- plugin:end -->");
        String block = readme.substring(start, end);
        String shown = block.substring(block.indexOf("```java\n") + "```java\n".length(), block.lastIndexOf("```"));
        assertEquals(source, shown);
    }
}
