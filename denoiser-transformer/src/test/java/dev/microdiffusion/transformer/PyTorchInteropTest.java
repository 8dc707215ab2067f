package dev.microdiffusion.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.io.LoadOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Transformers made and saved from PyTorch load here and predict what PyTorch predicted, probability for probability:
 * the reference's (src/test/python/make_pytorch_fixture.py) and the text Transformer with rotary positions and a
 * SwiGLU feed-forward (make_text_fixture.py).
 */
class PyTorchInteropTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"tiny-transformer, transformer", "tiny-text-transformer, text-transformer"})
    void aPyTorchWrittenModelPredictsWhatPyTorchPredicts(String fixture, String denoiser) throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        try (InputStream in = getClass().getResourceAsStream("/interop/" + fixture + ".safetensors")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/interop/" + fixture + "-expected.json")) {
            expected = new ObjectMapper().readTree(in);
        }
        DiffusionModel model = DiffusionModel.load(file, LoadOptions.none());
        assertEquals(denoiser, model.denoiser().name());
        int rows = expected.get("tokens").size();
        int length = model.tokenizer().maxLength();
        int vocab = model.tokenizer().vocabSize();
        int[] tokens = new int[rows * length];
        float[] times = new float[rows];
        for (int r = 0; r < rows; r++) {
            for (int l = 0; l < length; l++) {
                tokens[r * length + l] = expected.get("tokens").get(r).get(l).asInt();
            }
            times[r] = (float) expected.get("times").get(r).asDouble();
        }
        float[] logits = new float[rows * length * vocab];
        model.denoiser().newPass(rows).forward(tokens, times, rows, logits);
        double[] p = new double[vocab];
        double worst = 0;
        for (int r = 0; r < rows; r++) {
            for (int l = 0; l < length; l++) {
                softmax(logits, (r * length + l) * vocab, p);
                for (int v = 0; v < vocab; v++) {
                    double torch = expected.get("probabilities").get(r).get(l).get(v).asDouble();
                    worst = Math.max(worst, Math.abs(torch - p[v]));
                    assertEquals(torch, p[v], 1e-4, "row " + r + ", position " + l + ", id " + v);
                }
            }
        }
        System.out.println("largest difference from PyTorch: " + worst);
    }

    /** p = softmax of the logits at {@code offset}, in double. */
    private static void softmax(float[] logits, int offset, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < p.length; v++) {
            max = Math.max(max, logits[offset + v]);
        }
        double sum = 0;
        for (int v = 0; v < p.length; v++) {
            p[v] = Math.exp(logits[offset + v] - max);
            sum += p[v];
        }
        for (int v = 0; v < p.length; v++) {
            p[v] /= sum;
        }
    }
}
