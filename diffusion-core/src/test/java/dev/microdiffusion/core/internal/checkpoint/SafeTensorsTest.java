package dev.microdiffusion.core.internal.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.io.CheckpointException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsTensorsAndMetadataInTheDocumentedLayout() throws IOException {
        Path file = dir.resolve("m.safetensors");
        float[] a = {1f, -2.5f, 3f, 4f, 5f, 6f};
        double[] b = {0.1, 0.2};
        SafeTensors.write(file, Map.of("vocabulary", "abc"),
                List.of(Tensor.f32("a.weight", new int[] {2, 3}, a), Tensor.f64("losses", new int[] {2}, b)));

        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "the data section is 8-byte aligned");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).strip();
        assertEquals("{\"__metadata__\":{\"vocabulary\":\"abc\"},"
                + "\"a.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"losses\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[24,40]}}", header);
        assertEquals(8 + headerLength + 40, bytes.length);
        assertEquals(-2.5f, ByteBuffer.wrap(bytes, (int) (8 + headerLength + 4), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());

        try (SafeTensors.Reader reader = SafeTensors.open(file)) {
            assertEquals(Map.of("vocabulary", "abc"), reader.metadata());
            assertEquals(List.of("a.weight", "losses"), List.copyOf(reader.entries().keySet()));
            float[] back = new float[6];
            reader.readFloats("a.weight", back);
            assertArrayEquals(a, back);
            assertArrayEquals(b, reader.readDoubles("losses"));
            assertThrows(CheckpointException.class, () -> reader.readFloats("losses", new float[2]));
            assertThrows(CheckpointException.class, () -> reader.readFloats("nope", new float[2]));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousFileIntact() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, Map.of(), List.of(Tensor.f32("w", new int[] {1}, new float[] {7f})));
        byte[] before = Files.readAllBytes(file);
        // an interrupted thread's file channel fails on its first write: the crash happens mid-save
        Thread.currentThread().interrupt();
        try {
            assertThrows(IOException.class, () -> SafeTensors.write(file, Map.of(),
                    List.of(Tensor.f32("w", new int[] {1000}, new float[1000]))));
        } finally {
            Thread.interrupted();
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file is removed");
        }
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, Map.of(),
                List.of(Tensor.f32("x", new int[] {1}, new float[1]), Tensor.f32("x", new int[] {1}, new float[1]))));
        assertThrows(IllegalArgumentException.class, () -> Tensor.f32("x", new int[] {2, 2}, new float[3]));
    }

    /** A valid file's bytes: header JSON as given, then {@code dataBytes} zero bytes. */
    private static byte[] file(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        return b.array();
    }

    private static byte[] withLength(long headerLength, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(rest);
        return b.array();
    }

    static Stream<Arguments> corruptFiles() {
        String ok = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] valid = file(ok, 8);
        return Stream.of(
                Arguments.of("empty file", new byte[0], "truncated: 0 bytes"),
                Arguments.of("truncated inside the data", Arrays.copyOf(valid, valid.length - 3), "run past the data section"),
                Arguments.of("truncated inside the header", Arrays.copyOf(valid, 20), "runs past the end of the file"),
                Arguments.of("header length past the end", withLength(1000, new byte[16]), "runs past the end of the file"),
                Arguments.of("huge header length", withLength(Long.MAX_VALUE, new byte[16]), "is outside 2.."),
                Arguments.of("negative header length", withLength(-5, new byte[16]), "is outside 2.."),
                Arguments.of("header not JSON", file("{\"w\": [", 0), "not valid JSON"),
                Arguments.of("header not an object", file("[1, 2]", 0), "not a JSON object"),
                Arguments.of("header not UTF-8", withLength(4, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}), "not UTF-8"),
                Arguments.of("overlapping offsets", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlap"),
                Arguments.of("a hole in the data", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                        "belong to no tensor"),
                Arguments.of("unsupported dtype", file("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4),
                        "dtype BF16 is not supported"),
                Arguments.of("shape and offsets disagree", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                        "needs 12 bytes, data_offsets give 8"),
                Arguments.of("huge shape", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],"
                        + "\"data_offsets\":[0,8]}}", 8), "too large"),
                Arguments.of("negative dimension", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
                        "non-negative integers"),
                Arguments.of("offsets reversed", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8),
                        "not an interval"),
                Arguments.of("metadata not strings", file("{\"__metadata__\":{\"steps\":40}," + ok.substring(1), 8),
                        "must be a string"),
                Arguments.of("unknown entry field", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", 8),
                        "unknown field 'x'"),
                Arguments.of("a key twice", file("{\"__metadata__\":{\"vocabulary\":\"ab\",\"vocabulary\":\"AB\"},"
                        + ok.substring(1), 8), "Duplicate field 'vocabulary'"),
                Arguments.of("two JSON objects", file(ok + "{}", 8), "Trailing token"),
                Arguments.of("NUL padding", file(ok + "\u0000\u0000", 8), "not valid JSON"));
    }

    /** The format pads a header with spaces; a padded one reads as the unpadded one. */
    @Test
    void spacePaddingIsTheFormats() throws IOException {
        Path file = Files.write(dir.resolve("padded.safetensors"),
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}    ", 8));
        try (SafeTensors.Reader r = SafeTensors.open(file)) {
            assertEquals(8, r.floatCount() * 4);
        }
    }

    @Test
    void nonFiniteValuesAreRefusedNamingTheTensor() throws IOException {
        Path file = dir.resolve("nan.safetensors");
        SafeTensors.write(file, Map.of(), List.of(Tensor.f32("w", new int[] {3}, new float[] {1f, Float.NaN, 2f})));
        try (SafeTensors.Reader r = SafeTensors.open(file)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> r.readFloats("w", new float[3]));
            assertTrue(e.getMessage().contains("tensor w holds NaN at index 1"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void aCorruptFileIsRejectedWithItsReason(String what, byte[] bytes, String reason) throws IOException {
        Path file = Files.write(dir.resolve("bad.safetensors"), bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.open(file).close());
        assertTrue(e.getMessage().contains(reason), what + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
    }

    @Test
    void aMissingFileIsAClearError() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.open(dir.resolve("no")));
        assertTrue(e.getMessage().startsWith("no such file"), e.getMessage());
    }
}
