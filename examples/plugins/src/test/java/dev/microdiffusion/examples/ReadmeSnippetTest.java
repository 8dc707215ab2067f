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
 * The README's library snippet is QuickStart's own text, so it runs with every build, and it compiles against the
 * library's jars alone, so a user can copy it into a project of their own.
 */
class ReadmeSnippetTest {

    /** What a consumer depends on: the core, the tokenizer, the denoisers and what they bring. */
    private static final List<String> LIBRARY = List.of("diffusion-core", "tokenizer", "denoiser-mlp",
            "denoiser-transformer", "ojalgo", "commons-rng", "commons-math3", "jackson-core-", "jackson-databind-",
            "jackson-annotations-");

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = from < 0 ? -1 : text.indexOf(end, from + start.length());
        if (from < 0 || to < 0) {
            throw new AssertionError("no text between " + start + " and " + end);
        }
        return text.substring(from + start.length(), to);
    }

    private static String snippet() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/microdiffusion/examples/QuickStart.java"),
                StandardCharsets.UTF_8);
        return between(source, "// --8<-- [start:snippet]\n", "    // --8<-- [end:snippet]").lines()
                .map(line -> line.startsWith("    ") ? line.substring(4) : line)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void theReadmeSnippetIsQuickStartsText() throws IOException {
        String readme = Files.readString(Path.of("../..", "README.md"), StandardCharsets.UTF_8);
        String shown = between(between(readme, "<!-- quickstart:start -->", "<!-- quickstart:end -->"), "```java\n",
                "```");
        assertEquals(snippet(), shown);
    }

    @Test
    void theSnippetCompilesAgainstTheLibraryAlone(@TempDir Path dir) throws IOException {
        String consumer = "import dev.microdiffusion.core.*;\nimport java.io.IOException;\nimport java.nio.file.*;\n"
                + "import java.util.List;\n\npublic class Consumer {\n" + snippet() + "}\n";
        Path source = Files.writeString(dir.resolve("Consumer.java"), consumer);
        String classPath = List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .filter(entry -> LIBRARY.stream().anyMatch(entry::contains))
                .filter(entry -> !entry.contains("test-classes") && !entry.contains("examples"))
                .collect(Collectors.joining(File.pathSeparator));
        Javac.Result result = Javac.run("-cp", classPath, "-d", dir.resolve("out").toString(), source.toString());
        assertEquals(0, result.exitCode(), result.messages());
    }
}
