package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.io.CheckpointException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The committed seed set of hostile files (src/test/resources/hostile): each refused with its reason. */
class HostileFilesTest {

    private static Path file(String name) throws URISyntaxException {
        return Path.of(HostileFilesTest.class.getResource("/hostile/" + name).toURI());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "duplicate-key.safetensors        | Duplicate field '__metadata__'",
        "two-objects.safetensors          | Trailing token",
        "nul-padding.safetensors          | not valid JSON",
        "huge-hidden.safetensors          | hidden must be in [1, 16384]",
        "larger-than-file.safetensors     | tensor W1 has shape [9, 4]",
        "nan-weight.safetensors           | tensor b1 holds NaN at index 2",
        "escape-in-vocabulary.safetensors | U+001B is a control character",
        "typo-key.safetensors             | metadata schedule is missing",
        "null-recipe.safetensors          | training.config is null",
        "huge-rows.safetensors            | max_length must be in 1..4096"})
    void eachIsRefusedWithItsReason(String name, String reason) throws Exception {
        CheckpointException e = assertThrows(CheckpointException.class, () -> DiffusionModel.load(file(name)));
        assertTrue(e.getMessage().contains(reason), name + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file(name).toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), "one printable line: " + e.getMessage());
    }

    @ParameterizedTest
    @CsvSource("valid-small.safetensors")
    void theirValidSiblingLoads(String name) throws Exception {
        assertEquals("ab", DiffusionModel.load(file(name)).tokenizer().vocabulary());
    }
}
