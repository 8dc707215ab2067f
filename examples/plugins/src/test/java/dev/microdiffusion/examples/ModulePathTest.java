package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library as a module consumer sees it: a small module that requires only {@code dev.microdiffusion.core} is
 * compiled and run on the module path with the four library modules and their dependencies (no class path). It
 * trains a little, evaluates, generates with a template, predicts, saves and loads; the providers are found through
 * {@code provides}/{@code uses}. Internals stay out of reach: a consumer that imports one does not compile.
 */
class ModulePathTest {

    private static final List<String> LIBRARIES = List.of("diffusion-core", "tokenizer", "denoiser-mlp",
            "denoiser-transformer", "ojalgo", "commons-rng", "commons-math3", "jackson-core-", "jackson-databind-",
            "jackson-annotations-");

    private static final String MAIN = """
            package demo;

            import dev.microdiffusion.core.DiffusionModel;
            import dev.microdiffusion.core.FillMask;
            import dev.microdiffusion.core.spi.Registry;
            import dev.microdiffusion.core.TrainingRun;
            import dev.microdiffusion.core.spi.DenoiserProvider;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.List;

            public final class Main {
                public static void main(String[] args) throws Exception {
                    List<String> names = List.of("emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia",
                            "harper", "evelyn", "abigail", "emily", "ella", "elizabeth", "camila", "luna", "sofia",
                            "avery", "mila", "aria", "scarlett", "penelope", "layla", "chloe", "victoria");
                    System.out.println("denoisers " + Registry.names(DenoiserProvider.class));
                    TrainingRun run = TrainingRun.builder(names).denoiser(args[0]).steps(30).validationFraction(0.25)
                            .threads(1).build();
                    run.train();
                    System.out.println("nelbo " + run.evaluate().bitsPerChar());
                    DiffusionModel model = run.model();
                    List<String> filled = model.generation().count(4).sampler("ancestral").template("e__a").generate();
                    FillMask guesses = model.predict("em__a");
                    Path file = Files.createTempFile("module-path", ".safetensors");
                    model.save(file);
                    DiffusionModel back = DiffusionModel.load(file);
                    Files.delete(file);
                    System.out.println("filled " + filled);
                    System.out.println("masked " + guesses.masked().size());
                    System.out.println("same " + model.generate(8).equals(back.generate(8)));
                }
            }
            """;

    private static String modulePath() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .filter(entry -> LIBRARIES.stream().anyMatch(entry::contains))
                .filter(entry -> !entry.contains("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static int compile(Path module, String source, StringWriter errors) throws IOException {
        Path main = Files.createDirectories(module.resolve("src/demo")).resolve("Main.java");
        Files.writeString(main, source);
        Path info = Files.writeString(module.resolve("src/module-info.java"),
                "module demo { requires dev.microdiffusion.core; }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        return javac.run(null, null, new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                errors.write(b);
            }
        }, true, StandardCharsets.UTF_8), "--module-path", modulePath(), "-d", module.resolve("out").toString(),
                info.toString(), main.toString());
    }

    private static String run(Path module, String denoiser, boolean vector) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (vector) {
            command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        command.addAll(List.of("--module-path", modulePath() + File.pathSeparator + module.resolve("out"),
                "-m", "demo/demo.Main", denoiser));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the consumer did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void aConsumerOnTheModulePathTrainsGeneratesPredictsAndReloads(@TempDir Path dir) throws Exception {
        StringWriter errors = new StringWriter();
        assertEquals(0, compile(dir, MAIN, errors), errors.toString());
        String portable = run(dir, "mlp", false);
        assertTrue(portable.contains("denoisers [mlp, mlp-skip, text-transformer, transformer]"), portable);
        assertTrue(portable.contains("matrix kernel: ojAlgo (portable)"), portable);
        assertTrue(portable.contains("masked 2"), portable);
        assertTrue(portable.contains("same true"), portable);
        String vector = run(dir, "transformer", true);
        assertTrue(vector.contains("matrix kernel: Panama Vector API"), vector);
        assertTrue(vector.contains("same true"), vector);
        assertFalse(vector.contains("Exception"), vector);
    }

    @Test
    void internalsAreNotVisibleToAConsumer(@TempDir Path dir) throws Exception {
        StringWriter errors = new StringWriter();
        String reaching = MAIN.replace("import java.util.List;",
                "import java.util.List;\nimport dev.microdiffusion.core.internal.training.Trainer;");
        assertEquals(1, compile(dir, reaching, errors));
        assertTrue(errors.toString().contains("is not visible"), errors.toString());
    }
}
