package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.io.CheckpointException;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.tokenizer.CharTokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of the two readers a user points at their own files: mutated checkpoints and arbitrary
 * corpora either load or fail with one of the documented exceptions — never another exception, an error, or a
 * model with non-finite weights. Bounded in tries (a few seconds each).
 */
class HostileInputFuzzTest {

    private static Path dir;
    private static byte[] valid;
    private static int headerEnd;

    @BeforeContainer
    static void aValidFile() throws IOException {
        dir = Files.createTempDirectory("fuzz");
        Path file = dir.resolve("valid.safetensors");
        TrainingRun run = TrainingRun.builder(DefaultCorpus.names().subList(0, 200)).denoiserSetting("hidden", 8)
                .steps(2).threads(1).checkpointEvery(2, file).build();
        run.train();
        valid = Files.readAllBytes(file);
        headerEnd = 8 + (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** Byte flips, in the header mostly (where the structure is), and truncations. */
    @Provide
    Arbitrary<byte[]> mutatedCheckpoints() {
        Arbitrary<int[]> flips = Combinators.combine(Arbitraries.integers().between(0, headerEnd + 64),
                Arbitraries.integers().between(0, 255)).as((at, value) -> new int[] {at, value}).array(int[][].class)
                .ofMinSize(1).ofMaxSize(6).map(pairs -> {
                    int[] flat = new int[pairs.length * 2];
                    for (int i = 0; i < pairs.length; i++) {
                        flat[2 * i] = pairs[i][0];
                        flat[2 * i + 1] = pairs[i][1];
                    }
                    return flat;
                });
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, valid.length);
        return Combinators.combine(flips, cut, Arbitraries.of(true, false)).as((f, length, truncate) -> {
            byte[] bytes = valid.clone();
            for (int i = 0; i < f.length; i += 2) {
                if (f[i] < bytes.length) {
                    bytes[f[i]] = (byte) f[i + 1];
                }
            }
            return truncate ? Arrays.copyOf(bytes, length) : bytes;
        });
    }

    @Property(tries = 400)
    void aMutatedCheckpointLoadsOrFailsCleanly(@ForAll("mutatedCheckpoints") byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve("mutant.safetensors"), bytes);
        DiffusionModel model;
        try {
            model = DiffusionModel.load(file);
        } catch (CheckpointException | IllegalArgumentException | IOException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().contains("\n"), "one line: " + e.getMessage());
            return;
        }
        // an undetectable flip of a data byte: a model all the same, with finite weights, that generates
        for (Parameter p : model.denoiser().parameters()) {
            for (float v : p.values()) {
                assertTrue(Float.isFinite(v), p.name());
            }
        }
        assertEquals(2, model.generation().count(2).threads(1).generate().size());
    }

    /** Lines of any characters: control, format, reserved, astral, BOMs, blanks. */
    @Provide
    Arbitrary<List<String>> corpora() {
        Arbitrary<String> line = Arbitraries.strings().withCharRange('\u0000', '\u2fff')
                .withChars('_', '.', '[', ']', '\t', '\uFEFF', '\u200B', '\u0130').ofMinLength(0).ofMaxLength(14);
        return line.list().ofMinSize(0).ofMaxSize(30);
    }

    @Property(tries = 300)
    void anyCorpusBuildsARunOrIsRefusedWithAReason(@ForAll("corpora") List<String> lines) throws IOException {
        TrainingRun run;
        try {
            run = TrainingRun.builder(lines).validationFraction(0).steps(1).threads(1).build();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null, "a reason");
            return;
        }
        String vocabulary = run.model().tokenizer().vocabulary();
        vocabulary.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            assertTrue(type != Character.CONTROL && type != Character.FORMAT
                    && CharTokenizer.RESERVED.indexOf(cp) < 0, "vocabulary holds U+" + Integer.toHexString(cp));
        });
        // a combining dot the corpus holds itself is a symbol like any other; one made by lower-casing İ is not
        if (lines.stream().noneMatch(l -> l.indexOf('\u0307') >= 0)) {
            assertTrue(vocabulary.codePoints().noneMatch(cp -> cp == 0x307), "no combining dot from lower-casing");
        }
        assertEquals(1, run.train().steps());
    }

    /** The header's JSON as text: mutated keys and values of the metadata, never a crash. */
    @Provide
    Arbitrary<String[]> metadataEdits() {
        Arbitrary<String> keys = Arbitraries.of("denoiser", "vocabulary", "max_length", "vocab_size", "schedule",
                "schedule.offset", "diffusion_steps", "denoiser.hidden", "labels", "training.config", "training.step",
                "training.rng.data", "run.seed", "run.validation", "tokenizer", "format");
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("", "null", "-1", "0", "2147483647", "1e308",
                "NaN", "[\"a\",\"a\"]", "{}", "mlp", "transformer", "ab\u001b[31m", "polynomial", "99999999999"),
                Arbitraries.strings().ofMaxLength(12));
        return Combinators.combine(keys, values).as((k, v) -> new String[] {k, v});
    }

    @Property(tries = 300)
    void editedMetadataLoadsOrFailsCleanly(@ForAll("metadataEdits") String[] edit) throws IOException {
        String header = new String(valid, 8, headerEnd - 8, StandardCharsets.UTF_8).strip();
        ObjectNode json = (ObjectNode)
                new ObjectMapper().readTree(header);
        ((ObjectNode) json.get("__metadata__")).put(edit[0], edit[1]);
        byte[] newHeader = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + newHeader.length + valid.length - headerEnd)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(newHeader.length).put(newHeader).put(valid, headerEnd, valid.length - headerEnd);
        Path file = Files.write(dir.resolve("edited.safetensors"), out.array());
        try {
            DiffusionModel.load(file).generation().count(1).threads(1).generate();
        } catch (CheckpointException | IllegalArgumentException | IOException e) {
            assertTrue(e.getMessage() != null && e.getMessage().chars().noneMatch(c -> c == '\n' || c == 0x1b),
                    "one printable line: " + e.getMessage());
        }
    }
}
