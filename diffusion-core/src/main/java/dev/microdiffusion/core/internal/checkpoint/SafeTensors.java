package dev.microdiffusion.core.internal.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.microdiffusion.core.io.AtomicFiles;
import dev.microdiffusion.core.io.CheckpointException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON, then the tensors' raw
 * little-endian bytes. The header maps each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}
 * (offsets relative to the data section) and may hold {@code "__metadata__"}, a string → string map.
 *
 * <p>Reading is strict, so that a truncated or hostile file fails with a message instead of an OutOfMemoryError or
 * garbage: the header length is bounded and must fit in the file, the JSON must be exactly this layout, every
 * tensor's byte size must match its shape and dtype, offsets must lie in the data section, not overlap and cover it
 * without holes. Nothing beyond the header is read until all of that holds. Writing is atomic: the file appears whole
 * or not at all, and a previous file of that name stays intact until then.
 */
public final class SafeTensors {

    /** Headers beyond this are refused before anything is allocated for them (the reference library's bound). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final String METADATA = "__metadata__";
    /** One JSON object, no key twice, nothing after it (the format pads with spaces, which are stripped first). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The element types this library reads and writes. */
    public enum DType {
        F32(4),
        F64(8);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }
    }

    /** One tensor's entry in a header; offsets are relative to the data section. */
    public record Entry(String name, DType dtype, int[] shape, long begin, long end) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        public long elements() {
            return SafeTensors.elements(shape);
        }
    }

    private SafeTensors() {
    }

    static long elements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Writes tensors (in the given order) and metadata to {@code file}, atomically. */
    public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        ObjectNode header = JsonNodeFactory.instance.objectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Tensor t : tensors) {
            if (t.name().equals(METADATA) || header.has(t.name())) {
                throw new IllegalArgumentException("tensor name used twice or reserved: " + t.name());
            }
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", t.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + t.byteSize());
            offset += t.byteSize();
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // pad with spaces so the data section starts 8-byte aligned, as the format recommends
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        AtomicFiles.write(file, stream -> {
            WritableByteChannel out = Channels.newChannel(stream);
            writeFully(out, head);
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors) {
                int n = (int) elements(t.shape());
                for (int i = 0; i < n; i++) {
                    if (chunk.remaining() < 8) {
                        chunk.flip();
                        writeFully(out, chunk);
                        chunk.clear();
                    }
                    if (t.dtype() == DType.F32) {
                        chunk.putFloat(t.floats()[i]);
                    } else {
                        chunk.putDouble(t.doubles()[i]);
                    }
                }
            }
            chunk.flip();
            writeFully(out, chunk);
        });
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Opens and validates a file; tensors are read on demand. */
    public static Reader open(Path file) throws IOException {
        return new Reader(file);
    }

    /** A validated safetensors file. Not thread-safe; close it when done. */
    public static final class Reader implements AutoCloseable {

        private final Path file;
        private final FileChannel channel;
        private final long dataStart;
        private final Map<String, String> metadata;
        private final Map<String, Entry> entries;

        private Reader(Path file) throws IOException {
            this.file = file;
            if (Files.isDirectory(file)) {
                throw new CheckpointException(file + ": is a directory, not a model file");
            }
            try {
                this.channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new CheckpointException("no such file: " + file, e);
            } catch (AccessDeniedException e) {
                throw new CheckpointException(file + ": cannot read it (permission denied)", e);
            } catch (IOException e) {
                throw new CheckpointException(file + ": cannot read it (" + e.getMessage() + ")", e);
            }
            try {
                long size = channel.size();
                if (size < 8) {
                    throw fail("truncated: " + size + " bytes, but a safetensors file starts with an 8-byte header length");
                }
                ByteBuffer lengthBytes = readAt(0, 8);
                long headerLength = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
                    throw fail("header length " + Long.toUnsignedString(headerLength) + " is outside 2.." + MAX_HEADER_BYTES);
                }
                if (8 + headerLength > size) {
                    throw fail("header length " + headerLength + " runs past the end of the file (" + size
                            + " bytes): truncated?");
                }
                this.dataStart = 8 + headerLength;
                JsonNode header = parse(readAt(8, (int) headerLength));
                this.metadata = metadataOf(header);
                this.entries = entriesOf(header, size - dataStart);
            } catch (RuntimeException | IOException e) {
                channel.close();
                throw e;
            }
        }

        private CheckpointException fail(String message) {
            return new CheckpointException(file + ": " + message);
        }

        private ByteBuffer readAt(long position, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position + buffer.position());
                if (n < 0) {
                    throw fail("unexpected end of file at byte " + (position + buffer.position()));
                }
            }
            return buffer.flip();
        }

        private JsonNode parse(ByteBuffer bytes) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
            } catch (CharacterCodingException e) {
                throw fail("the header is not UTF-8");
            }
            int end = text.length();
            while (end > 0 && text.charAt(end - 1) == ' ') {
                end--;
            }
            text = text.substring(0, end);
            try {
                JsonNode node = JSON.readTree(text);
                if (node == null || !node.isObject()) {
                    throw fail("the header is not a JSON object");
                }
                return node;
            } catch (JsonProcessingException e) {
                throw fail("the header is not valid JSON: " + e.getOriginalMessage());
            }
        }

        private Map<String, String> metadataOf(JsonNode header) {
            JsonNode meta = header.get(METADATA);
            if (meta == null) {
                return Map.of();
            }
            if (!meta.isObject()) {
                throw fail(METADATA + " must be an object of strings");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : meta.properties()) {
                if (!e.getValue().isTextual()) {
                    throw fail(METADATA + "." + e.getKey() + " must be a string, as the format requires");
                }
                out.put(e.getKey(), e.getValue().asText());
            }
            return Collections.unmodifiableMap(out);
        }

        private Map<String, Entry> entriesOf(JsonNode header, long dataSize) {
            Map<String, Entry> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : header.properties()) {
                String name = field.getKey();
                if (name.equals(METADATA)) {
                    continue;
                }
                out.put(name, entryOf(name, field.getValue(), dataSize));
            }
            List<Entry> byOffset = new ArrayList<>(out.values());
            byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long covered = 0;
            Entry previous = null;
            for (Entry e : byOffset) {
                if (e.begin() < covered) {
                    throw fail("tensors " + previous.name() + " and " + e.name() + " overlap (bytes " + e.begin()
                            + ".." + covered + ")");
                }
                if (e.begin() > covered) {
                    throw fail("bytes " + covered + ".." + e.begin() + " of the data section belong to no tensor");
                }
                covered = e.end();
                previous = e;
            }
            if (covered != dataSize) {
                throw fail("the data section has " + dataSize + " bytes but the tensors cover " + covered);
            }
            return Collections.unmodifiableMap(out);
        }

        private Entry entryOf(String name, JsonNode node, long dataSize) {
            if (!node.isObject()) {
                throw fail("tensor " + name + ": its entry is not an object");
            }
            for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                    throw fail("tensor " + name + ": unknown field '" + key + "'");
                }
            }
            JsonNode dtypeNode = node.get("dtype");
            if (dtypeNode == null || !dtypeNode.isTextual()) {
                throw fail("tensor " + name + ": no dtype");
            }
            DType dtype;
            try {
                dtype = DType.valueOf(dtypeNode.asText());
            } catch (IllegalArgumentException e) {
                throw fail("tensor " + name + ": dtype " + dtypeNode.asText() + " is not supported (F32 and F64 are)");
            }
            JsonNode shapeNode = node.get("shape");
            if (shapeNode == null || !shapeNode.isArray()) {
                throw fail("tensor " + name + ": no shape");
            }
            int[] shape = new int[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 0) {
                    throw fail("tensor " + name + ": shape " + shapeNode + " must hold non-negative integers");
                }
                shape[i] = d.asInt();
            }
            JsonNode offsets = node.get("data_offsets");
            if (offsets == null || !offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToLong()
                    || !offsets.get(1).canConvertToLong() || !offsets.get(0).isIntegralNumber()
                    || !offsets.get(1).isIntegralNumber()) {
                throw fail("tensor " + name + ": data_offsets must be [begin, end]");
            }
            long begin = offsets.get(0).asLong();
            long end = offsets.get(1).asLong();
            if (begin < 0 || end < begin) {
                throw fail("tensor " + name + ": data_offsets [" + begin + ", " + end + "] are not an interval");
            }
            if (end > dataSize) {
                throw fail("tensor " + name + ": data_offsets [" + begin + ", " + end + "] run past the data section ("
                        + dataSize + " bytes): truncated?");
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(elements(shape), (long) dtype.bytes());
            } catch (ArithmeticException e) {
                throw fail("tensor " + name + ": shape " + shapeNode + " is too large");
            }
            if (bytes != end - begin) {
                throw fail("tensor " + name + ": shape " + shapeNode + " of " + dtype + " needs " + bytes
                        + " bytes, data_offsets give " + (end - begin));
            }
            return new Entry(name, dtype, shape, begin, end);
        }

        public Path file() {
            return file;
        }

        public Map<String, String> metadata() {
            return metadata;
        }

        /** The tensors in header order. */
        public Map<String, Entry> entries() {
            return entries;
        }

        /** Reads an F32 tensor into {@code out} (of exactly its size). */
        public void readFloats(String name, float[] out) throws IOException {
            Entry e = require(name, DType.F32, out.length);
            ByteBuffer bytes = readAt(dataStart + e.begin(), (int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().get(out);
            for (int i = 0; i < out.length; i++) {
                if (!Float.isFinite(out[i])) {
                    throw fail("tensor " + name + " holds " + out[i] + " at index " + i + ": weights must be finite");
                }
            }
        }

        /** The number of F32 values the file's tensors hold: the most a model read from it can need. */
        public long floatCount() {
            long n = 0;
            for (Entry e : entries.values()) {
                if (e.dtype() == DType.F32) {
                    n += e.elements();
                }
            }
            return n;
        }

        /** Reads an F64 tensor. */
        public double[] readDoubles(String name) throws IOException {
            Entry e = entries.get(name);
            if (e == null) {
                throw fail("no tensor " + name);
            }
            double[] out = new double[(int) e.elements()];
            require(name, DType.F64, out.length);
            ByteBuffer bytes = readAt(dataStart + e.begin(), (int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asDoubleBuffer().get(out);
            for (int i = 0; i < out.length; i++) {
                if (!Double.isFinite(out[i])) {
                    throw fail("tensor " + name + " holds " + out[i] + " at index " + i + ": values must be finite");
                }
            }
            return out;
        }

        private Entry require(String name, DType dtype, int size) {
            Entry e = entries.get(name);
            if (e == null) {
                throw fail("no tensor " + name);
            }
            if (e.dtype() != dtype) {
                throw fail("tensor " + name + " is " + e.dtype() + ", expected " + dtype);
            }
            if (e.elements() != size) {
                throw fail("tensor " + name + " has " + e.elements() + " values, expected " + size);
            }
            return e;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
