package dev.microdiffusion.examples;

import static dev.microdiffusion.examples.TrainCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.TextScore;
import dev.microdiffusion.examples.TrainCommandTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sample --from, score and pseudonymise on the command line: the library's results, printed. */
class BulkCommandsTest {

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void trainAndSave() {
        model = dir.resolve("model.safetensors");
        Run run = cli("train", "--steps", "60", "--samples", "1", "--quiet", "--save", model.toString());
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void aRangeIsTheSameNamesAsTheirPlaceInALongerRun() {
        Run whole = cli("sample", "--model", model.toString(), "--samples", "30", "--seed", "5");
        Run range = cli("sample", "--model", model.toString(), "--samples", "10", "--from", "12", "--seed", "5",
                "--batch-size", "3", "--threads", "2");
        assertEquals(0, range.exitCode(), range.err());
        assertEquals(whole.out().lines().toList().subList(12, 22), range.out().lines().toList());
        Run negative = cli("sample", "--model", model.toString(), "--from", "-1");
        assertEquals(2, negative.exitCode());
        assertTrue(negative.err().contains("--from"), negative.err());
    }

    @Test
    void scorePrintsTheLibrarysScoresOneLinePerInputLine() throws IOException {
        Path data = dir.resolve("column.txt");
        Files.write(data, List.of("emma", "", "qqqqxz", "a".repeat(40), "zo☃"), StandardCharsets.UTF_8);
        Run run = cli("score", "--model", model.toString(), "--data", data.toString(), "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("text\toutcome\tbits_per_char\tnats_per_text\tproblem", lines.get(0));
        assertEquals(6, lines.size(), run.out());
        DiffusionModel loaded = DiffusionModel.load(model);
        List<TextScore> expected = loaded.scoring().score(Arrays.asList("emma", "", "qqqqxz", "a".repeat(40), "zo☃"));
        for (int k = 0; k < expected.size(); k++) {
            String[] fields = lines.get(k + 1).split("\t", -1);
            TextScore s = expected.get(k);
            assertEquals(s.outcome().name().toLowerCase(Locale.ROOT), fields[1], lines.get(k + 1));
            assertEquals(s.scored() ? String.format(Locale.ROOT, "%.4f", s.bitsPerChar()) : "", fields[2]);
        }
        Path json = dir.resolve("out/scores.json");
        Run withJson = cli("score", "--model", model.toString(), "--data", data.toString(), "--json", json.toString());
        assertEquals(0, withJson.exitCode(), withJson.err());
        JsonNode scores = new ObjectMapper().readTree(json.toFile());
        assertEquals(5, scores.size());
        assertEquals("too_long", scores.get(3).get("outcome").asText().toLowerCase(Locale.ROOT));
        Run missing = cli("score", "--model", model.toString(), "--data", dir.resolve("nope.txt").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().startsWith("error: --data") && missing.err().contains("nope.txt"), missing.err());
    }

    @Test
    void pseudonymiseMapsEachValueWithTheKey() throws IOException {
        Path data = dir.resolve("people.txt");
        Files.write(data, List.of("eleanor", "Eleanor", "jo", ""), StandardCharsets.UTF_8);
        Path key = dir.resolve("key");
        Files.write(key, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        Run run = cli("pseudonymise", "--model", model.toString(), "--data", data.toString(), "--key-file",
                key.toString(), "--keep-length");
        assertEquals(0, run.exitCode(), run.err());
        List<String[]> rows = run.out().lines().map(l -> l.split("\t", -1)).toList();
        assertEquals(4, rows.size());
        assertEquals(rows.get(0)[1], rows.get(1)[1], "one value, one pseudonym");
        assertEquals(2, rows.get(2)[1].length(), "the length kept");
        String expected = DiffusionModel.load(model).pseudonymiser(Files.readAllBytes(key)).keepLength(true).build()
                .pseudonym("eleanor");
        assertEquals(expected, rows.get(0)[1]);
        Path shortKey = dir.resolve("short");
        Files.write(shortKey, new byte[4]);
        Run refused = cli("pseudonymise", "--model", model.toString(), "--data", data.toString(), "--key-file",
                shortKey.toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("--key-file"), refused.err());
    }
}
