package dev.microdiffusion.examples;

import static dev.microdiffusion.examples.TrainCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.examples.TrainCommandTest.Run;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --plugins DIR}: a provider in a jar the CLI was not built with is found by name. */
class PluginsOptionTest {

    private static final String PROVIDER = """
            package thirdparty;

            import dev.microdiffusion.core.spi.Denoiser;
            import dev.microdiffusion.core.spi.DenoiserConfig;
            import dev.microdiffusion.core.spi.DenoiserProvider;
            import dev.microdiffusion.examples.plugin.NeighbourDenoiser;
            import org.apache.commons.rng.UniformRandomProvider;

            public final class FarAwayProvider implements DenoiserProvider {
                public String name() { return "far-away"; }
                public String description() { return "a denoiser from a jar of its own"; }
                public Denoiser create(DenoiserConfig config, UniformRandomProvider random) {
                    return new NeighbourDenoiser(config, random);
                }
                public DenoiserConfig defaultConfig(int vocabSize) { return new DenoiserConfig(vocabSize, 12); }
            }
            """;

    private static Path pluginJar(Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/thirdparty")).resolve("FarAwayProvider.java");
        Files.writeString(src, PROVIDER);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int code = ToolProvider.getSystemJavaCompiler().run(null, OutputStream.nullOutputStream(), null,
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), src.toString());
        assertEquals(0, code, "the plug-in compiles");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = plugins.resolve("far-away.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("thirdparty/FarAwayProvider.class"));
            out.write(Files.readAllBytes(classes.resolve("thirdparty/FarAwayProvider.class")));
            out.putNextEntry(new JarEntry("META-INF/services/dev.microdiffusion.core.spi.DenoiserProvider"));
            out.write("thirdparty.FarAwayProvider\n".getBytes(StandardCharsets.UTF_8));
        }
        return plugins;
    }

    @Test
    void aDenoiserInAPluginJarTrainsByName(@TempDir Path dir) throws IOException {
        Run without = cli("train", "--denoiser", "far-away", "--steps", "5");
        assertEquals(2, without.exitCode());
        assertTrue(without.err().contains("no DenoiserProvider named 'far-away'"), without.err());

        Path plugins = pluginJar(dir);
        Run list = cli("--plugins", plugins.toString(), "train", "--list");
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().contains("far-away"), list.out());
        Run run = cli("--plugins", plugins.toString(), "train", "--denoiser", "far-away", "--steps", "20",
                "--samples", "3", "--quiet");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(3, run.out().lines().count(), run.out());
        assertEquals(2, cli("train", "--denoiser", "far-away").exitCode(), "the plug-in is gone after the run");
    }

    @Test
    void aPluginDirectoryMustHoldJars(@TempDir Path dir) {
        Run missing = cli("--plugins", dir.resolve("nope").toString(), "train", "--list");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("is not a directory"), missing.err());
        Run empty = cli("--plugins", dir.toString(), "train", "--list");
        assertEquals(2, empty.exitCode());
        assertTrue(empty.err().contains("holds no .jar file"), empty.err());
    }
}
