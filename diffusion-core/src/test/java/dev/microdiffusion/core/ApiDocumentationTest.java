package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.DocumentationTool;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published API stays documented: javadoc's doclint, every group on (the "missing" one too), finds nothing to
 * report in the exported packages. The javadoc jar's build reports the same findings without failing on them, since
 * it would also fail on the Vector API's incubation notice.
 */
class ApiDocumentationTest {

    private static final String MODULE = "dev.microdiffusion.core";

    @Test
    void everyExportedTypeAndMemberIsDocumented(@TempDir Path out) {
        Path sources = Path.of("src", "main", "java");
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        assumeTrue(Files.isRegularFile(sources.resolve("module-info.java")) && javadoc != null,
                "run from the module's directory on a JDK");
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        int code = javadoc.run(null, report, report, "-Xdoclint:all", "-Xmaxwarns", "10000", "-quiet", "-d",
                out.toString(), "--module-source-path", MODULE + "=" + sources, "--module", MODULE, "--module-path",
                dependencies(), "--add-modules", "jdk.incubator.vector");
        List<String> findings = report.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains(": warning: ") || line.contains(": error: "))
                .filter(line -> !line.contains(File.separator + "internal" + File.separator))
                .collect(Collectors.toList());
        assertEquals(List.of(), findings, "javadoc exited with " + code);
        assertEquals(0, code, report.toString(StandardCharsets.UTF_8));
    }

    /** The jars this test runs with, from whichever path the build put them on (the module's own classes left out). */
    private static String dependencies() {
        String paths = System.getProperty("jdk.module.path", "") + File.pathSeparator
                + System.getProperty("java.class.path", "");
        return Arrays.stream(paths.split(File.pathSeparator)).filter(p -> p.endsWith(".jar"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
