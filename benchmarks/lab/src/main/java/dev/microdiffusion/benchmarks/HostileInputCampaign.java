package dev.microdiffusion.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A campaign of hostile inputs against a build of the command line, each run as its own process (so that exit codes,
 * out-of-memory errors and hangs are real): mutated checkpoints ({@code sample --model}), hostile corpora
 * ({@code train --data}) and hostile option values. Counts each outcome: a clean error (exit 2, one line), a stack
 * trace, an OutOfMemoryError, a hang (killed after the timeout), exit 0 with garbage (NaN or Infinity printed), and
 * exit 0. The same seed makes the same inputs, so two builds compare:
 *
 * <pre>
 * java -cp benchmarks/lab/target/lab.jar dev.microdiffusion.benchmarks.HostileInputCampaign \
 *     examples/cli/target/microdiffusion.jar /tmp/campaign 2000
 * </pre>
 */
public final class HostileInputCampaign {

    private static final long TIMEOUT_SECONDS = 30;

    private HostileInputCampaign() {
    }

    record Input(String kind, List<String> args) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: HostileInputCampaign JAR WORK_DIR COUNT [THREADS]");
            System.exit(2);
        }
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path work = Files.createDirectories(Path.of(args[1]));
        int count = Integer.parseInt(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path valid = work.resolve("valid.safetensors");
        Result base = run(jar, work, List.of("train", "--steps", "20", "--samples", "1", "--quiet", "--save",
                valid.toString()));
        if (base.code != 0) {
            throw new IllegalStateException("cannot make the valid checkpoint: " + base.err);
        }
        List<Input> inputs = inputs(work, Files.readAllBytes(valid), valid, count, new SplittableRandom(2026));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<String>> outcomes = new ArrayList<>();
        for (Input input : inputs) {
            outcomes.add(pool.submit(() -> classify(run(jar, work, input.args()))));
        }
        Map<String, Map<String, Integer>> table = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String outcome = outcomes.get(i).get();
            table.computeIfAbsent(inputs.get(i).kind(), k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
            if (!outcome.equals("clean error") && !outcome.equals("exit 0") && examples.size() < 40) {
                examples.add(outcome + ": " + String.join(" ", inputs.get(i).args()));
            }
        }
        pool.shutdown();
        System.out.println("jar " + jar + ", " + inputs.size() + " inputs");
        Map<String, Integer> total = new TreeMap<>();
        table.forEach((kind, counts) -> {
            System.out.println("  " + kind + ": " + counts);
            counts.forEach((k, v) -> total.merge(k, v, Integer::sum));
        });
        System.out.println("  all: " + total);
        examples.forEach(e -> System.out.println("    e.g. " + e));
    }

    record Result(int code, String out, String err, boolean hung) {
    }

    static Result run(Path jar, Path work, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(args);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        Result r = new Result(done ? p.exitValue() : -1, Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1), !done);
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static String classify(Result r) {
        if (r.hung()) {
            return "hang";
        }
        if (r.err().contains("OutOfMemoryError")) {
            return "OOM";
        }
        if (r.err().contains("\tat ") || r.err().contains("Exception in thread")) {
            return "stack trace";
        }
        if (r.code() == 0) {
            return r.out().contains("NaN") || r.out().contains("Infinity") ? "exit 0 with garbage" : "exit 0";
        }
        long lines = r.err().lines().filter(l -> !l.startsWith("WARNING") && !l.startsWith("[INFO]")
                && !l.startsWith("(see ")).count();
        return r.code() == 2 && lines == 1 ? "clean error" : "unclear error (exit " + r.code() + ", " + lines
                + " lines)";
    }

    static List<Input> inputs(Path work, byte[] valid, Path validFile, int count, SplittableRandom random)
            throws IOException {
        List<Input> inputs = new ArrayList<>();
        int headerEnd = 8 + (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(valid, 8, headerEnd - 8, StandardCharsets.UTF_8);
        String[] hostileValues = {"", "null", "-1", "0", "2147483647", "1e308", "NaN", "5000000", "1000000",
                "[\"a\",\"a\"]", "{}", "ab\u001b[31m", "\u0000", "99999999999", "mlp", "transformer"};
        String[] keys = {"denoiser", "vocabulary", "max_length", "vocab_size", "schedule", "diffusion_steps",
                "denoiser.hidden", "denoiser.layers", "denoiser.d_model", "schedule.offset", "tokenizer", "format",
                "training.config", "training.step"};
        int files = count / 2;
        for (int i = 0; i < files; i++) {
            byte[] bytes;
            int kind = random.nextInt(4);
            if (kind == 0) {
                bytes = valid.clone();
                for (int f = 0, n = 1 + random.nextInt(6); f < n; f++) {
                    bytes[random.nextInt(Math.min(bytes.length, headerEnd + 64))] = (byte) random.nextInt(256);
                }
            } else if (kind == 1) {
                bytes = Arrays.copyOf(valid, random.nextInt(valid.length));
            } else {
                // a metadata value changed: "key":"value" of the valid header, edited as text
                String key = keys[random.nextInt(keys.length)];
                String value = hostileValues[random.nextInt(hostileValues.length)];
                String edited = header.contains("\"" + key + "\":")
                        ? header.replaceFirst("\"" + Pattern.quote(key) + "\":\"[^\"]*\"",
                                Matcher.quoteReplacement("\"" + key + "\":" + json(value)))
                        : header.replaceFirst("\"__metadata__\":\\{", Matcher.quoteReplacement(
                                "\"__metadata__\":{\"" + key + "\":" + json(value) + ","));
                byte[] h = edited.getBytes(StandardCharsets.UTF_8);
                ByteBuffer b = ByteBuffer.allocate(8 + h.length + valid.length - headerEnd).order(ByteOrder.LITTLE_ENDIAN);
                b.putLong(h.length).put(h).put(valid, headerEnd, valid.length - headerEnd);
                bytes = b.array();
            }
            Path file = Files.write(work.resolve("mutant-" + i + ".safetensors"), bytes);
            inputs.add(new Input("checkpoint", List.of("sample", "--model", file.toString(), "--samples", "3")));
        }
        int corpora = count / 4;
        String[] pieces = {"anna", "bob", "\t", "\u0000", "\uFEFF", "\u200B", "_", ".", "[", "]", "\u0130",
                "\u001b[2J", "\r", "é", "\uD83D\uDE00", " ", "\n", "zz", "x".repeat(5000)};
        for (int i = 0; i < corpora; i++) {
            StringBuilder text = new StringBuilder();
            for (int l = 0, n = random.nextInt(12); l < n; l++) {
                for (int p = 0, m = 1 + random.nextInt(4); p < m; p++) {
                    text.append(pieces[random.nextInt(pieces.length)]);
                }
                text.append('\n');
            }
            Path file = Files.writeString(work.resolve("corpus-" + i + ".txt"), text);
            inputs.add(new Input("corpus", List.of("train", "--data", file.toString(), "--steps", "3", "--samples",
                    "2")));
        }
        String[][] options = {{"--temperature", "0"}, {"--temperature", "-1"}, {"--temperature", "NaN"},
            {"--top-p", "0"}, {"--top-p", "1.5"}, {"--top-k", "-3"}, {"--sampling-steps", "0"},
            {"--sampling-steps", "1000000000"}, {"--sampler", "threshold", "--threshold", "2"},
            {"--sampler", "blocks", "--block-length", "0"}, {"--eval-nodes", "0"}, {"--eval-nodes", "100000"},
            {"--steps", "2147483647"}, {"--batch-size", "2147483647"}, {"--samples", "2147483647"},
            {"--max-length", "1000000"}, {"--diffusion-steps", "1000000000"}, {"--learning-rate", "1e9"},
            {"--learning-rate", "NaN"}, {"--schedule", "polynomial", "--schedule-option", "exponent=1e308"},
            {"--schedule-option", "offset=1e308"}, {"--save", "/nonexistent/dir/x.st"}, {"--report", "/proc/x"},
            {"--plot", "/dev/null"}, {"--data", "/dev/zero"}, {"--data", "/tmp"}, {"--validation", "1"},
            {"--validation", "-0.5"}, {"--seed", "x"}, {"--threads", "0"}, {"--denoiser", "gpt"},
            {"--sampler", "nope"}, {"--confidence", "vibes"}, {"--eval-every", "-5"}, {"--save-every", "10"}};
        for (int i = inputs.size(); i < count; i++) {
            String[] chosen = options[random.nextInt(options.length)];
            List<String> args = new ArrayList<>(List.of("train", "--steps", "3", "--samples", "2"));
            if (chosen[0].equals("--steps")) {
                args = new ArrayList<>(List.of("train", "--samples", "2"));
            }
            args.addAll(List.of(chosen));
            inputs.add(new Input("option", args));
        }
        return inputs;
    }

    private static String json(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
