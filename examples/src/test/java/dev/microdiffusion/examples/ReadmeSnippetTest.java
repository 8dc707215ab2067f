package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's library snippet is QuickStart's own text, so it compiles and runs with every build. */
class ReadmeSnippetTest {

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = from < 0 ? -1 : text.indexOf(end, from + start.length());
        if (from < 0 || to < 0) {
            throw new AssertionError("no text between " + start + " and " + end);
        }
        return text.substring(from + start.length(), to);
    }

    @Test
    void theReadmeSnippetIsQuickStartsText() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String source = Files.readString(Path.of("src/main/java/dev/microdiffusion/examples/QuickStart.java"),
                StandardCharsets.UTF_8);
        String shown = between(between(readme, "<!-- quickstart:start -->", "<!-- quickstart:end -->"), "```java\n",
                "```");
        String code = between(source, "// --8<-- [start:snippet]\n", "        // --8<-- [end:snippet]").lines()
                .map(line -> line.startsWith("        ") ? line.substring(8) : line)
                .collect(Collectors.joining("\n", "", "\n"));
        assertEquals(code, shown);
    }
}
