package dev.microdiffusion.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Transformer exported to ONNX ({@code export_onnx.py}), run by ONNX Runtime behind the library's {@link Denoiser}
 * interface, so that the library's own samplers drive the peer exactly as they drive the library's Transformer.
 * Inference only. ONNX Runtime runs as its users would run it at its best: every graph optimisation, sequential
 * execution on {@code threads} intra-op threads, and each pass's tensors made once per batch size over direct buffers
 * (the logits written into a pinned output, not a fresh one per call).
 */
final class OnnxRuntimeDenoiser implements Denoiser, AutoCloseable {

    private static final String TOKENS = "tokens";
    private static final String TIMES = "times";
    private static final String LOGITS = "logits";

    private final DenoiserConfig config;
    private final OrtEnvironment environment;
    private final OrtSession session;

    /**
     * @param graph the exported graph
     * @param config the exported model's config (V and L are checked against the graph on the first call)
     * @param threads ONNX Runtime's intra-op threads
     */
    OnnxRuntimeDenoiser(Path graph, DenoiserConfig config, int threads) throws OrtException {
        this.config = config;
        environment = OrtEnvironment.getEnvironment();
        try (SessionOptions options = new SessionOptions()) {
            options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            session = environment.createSession(graph.toString(), options);
        }
        if (!session.getInputNames().equals(Set.of(TOKENS, TIMES)) || !session.getOutputNames().contains(LOGITS)) {
            session.close();
            throw new IllegalArgumentException(graph + ": inputs " + session.getInputNames() + ", outputs "
                    + session.getOutputNames() + "; export_onnx.py writes tokens, times -> logits");
        }
    }

    @Override
    public DenoiserConfig config() {
        return config;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Pass newPass(int maxBatch) {
        return new OnnxRuntimePass(maxBatch);
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }

    private final class OnnxRuntimePass implements Pass {
        private final int maxBatch;
        private final int length = maxLength();
        private final int vocab = vocabSize();
        private final LongBuffer tokens;
        private final FloatBuffer times;
        private final FloatBuffer logits;
        /** Per batch size (index), the run's inputs and pinned output over the buffers' first rows; made on first use. */
        private final Map<String, OnnxTensor>[] inputs;
        private final Map<String, OnnxTensor>[] outputs;

        @SuppressWarnings("unchecked")
        OnnxRuntimePass(int maxBatch) {
            this.maxBatch = maxBatch;
            tokens = direct(Long.BYTES * maxBatch * length).asLongBuffer();
            times = direct(Float.BYTES * maxBatch).asFloatBuffer();
            logits = direct(Float.BYTES * maxBatch * length * vocab).asFloatBuffer();
            inputs = new Map[maxBatch + 1];
            outputs = new Map[maxBatch + 1];
        }

        @Override
        public int maxBatch() {
            return maxBatch;
        }

        @Override
        public void forward(int[] tokenIds, float[] rowTimes, int batch, float[] out) {
            if (batch < 1 || batch > maxBatch) {
                throw new IllegalArgumentException("batch " + batch + " outside 1.." + maxBatch);
            }
            for (int i = 0; i < batch * length; i++) {
                tokens.put(i, tokenIds[i]);
            }
            times.put(0, rowTimes, 0, batch);
            try {
                if (inputs[batch] == null) {
                    inputs[batch] = Map.of(
                            TOKENS, OnnxTensor.createTensor(environment, tokens.slice(0, batch * length),
                                    new long[] {batch, length}),
                            TIMES, OnnxTensor.createTensor(environment, times.slice(0, batch), new long[] {batch}));
                    outputs[batch] = Map.of(LOGITS, OnnxTensor.createTensor(environment,
                            logits.slice(0, batch * length * vocab), new long[] {batch, length, vocab}));
                }
                // the result owns nothing here (the output is pinned): closing it frees no tensor of ours
                session.run(inputs[batch], outputs[batch]).close();
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
            }
            logits.get(0, out, 0, batch * length * vocab);
        }

        @Override
        public void backward(float[] dLogits, Gradients gradients) {
            throw new UnsupportedOperationException("ONNX Runtime runs the exported model for inference only");
        }

        private static ByteBuffer direct(int bytes) {
            return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
    }
}
