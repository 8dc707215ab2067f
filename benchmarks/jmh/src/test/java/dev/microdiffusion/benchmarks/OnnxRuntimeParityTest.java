package dev.microdiffusion.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.io.LoadOptions;
import dev.microdiffusion.core.spi.Denoiser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer runs the same model: the small PyTorch-made Transformer of the interop test (d 16, 2 heads, 2 layers),
 * exported to ONNX by {@code export_onnx.py}, gives on ONNX Runtime the library's logits, and the library's sampler
 * draws the same names through it (all but near-ties).
 */
class OnnxRuntimeParityTest {

    @TempDir
    static Path dir;

    private static DiffusionModel library;

    @BeforeAll
    static void load() throws IOException {
        for (String name : List.of("tiny-transformer.safetensors", "tiny-transformer.onnx")) {
            try (InputStream in = OnnxRuntimeParityTest.class.getResourceAsStream("/onnx/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        library = DiffusionModel.load(dir.resolve("tiny-transformer.safetensors"), LoadOptions.none());
    }

    @Test
    void onnxRuntimeGivesTheLibrarysLogits() throws Exception {
        for (int threads : new int[] {1, 2}) {
            try (OnnxRuntimeDenoiser peer = peer(threads)) {
                for (int rows : new int[] {1, 7, 64}) {
                    double difference = OnnxRuntimeBenchmark.largestDifference(library.denoiser(), peer,
                            library.tokenizer().maskId(), rows, rows);
                    assertTrue(difference <= OnnxRuntimeBenchmark.PARITY, rows + " rows on " + threads
                            + " threads: logits differ by " + difference);
                }
            }
        }
    }

    @Test
    void aDifferentModelIsCaught() throws Exception {
        Denoiser other = DiffusionModel.load(dir.resolve("tiny-transformer.safetensors"), LoadOptions.none())
                .denoiser();
        other.parameters().get(0).values()[0] += 0.01f;
        try (OnnxRuntimeDenoiser peer = peer(1)) {
            double difference = OnnxRuntimeBenchmark.largestDifference(other, peer, library.tokenizer().maskId(), 64,
                    3);
            assertTrue(difference > OnnxRuntimeBenchmark.PARITY, "a changed weight went unnoticed: " + difference);
        }
    }

    @Test
    void theLibrarysSamplerDrawsTheSameNamesThroughThePeer() throws Exception {
        try (OnnxRuntimeDenoiser peer = peer(1)) {
            DiffusionModel onPeer = new DiffusionModel(library.tokenizer(), peer, library.schedule(),
                    library.diffusionSteps());
            List<String> ours = library.generation().count(32).seed(5).threads(1).build().generate();
            List<String> theirs = onPeer.generation().count(32).seed(5).threads(1).build().generate();
            // logits equal to 1e-5 draw the same names but where two choices tie closer than that (ORT's kernels
            // differ by processor, so which names that is may too)
            int same = 0;
            for (int i = 0; i < ours.size(); i++) {
                same += ours.get(i).equals(theirs.get(i)) ? 1 : 0;
            }
            assertEquals(ours.size(), theirs.size());
            assertTrue(same >= ours.size() - 2, same + " of " + ours.size() + " names the same: " + ours + " / "
                    + theirs);
        }
    }

    private static OnnxRuntimeDenoiser peer(int threads) throws Exception {
        return new OnnxRuntimeDenoiser(dir.resolve("tiny-transformer.onnx"), library.denoiser().config(), threads);
    }
}
