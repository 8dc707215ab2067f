package dev.microdiffusion.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.nn.OneHotLinear;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.NoiseScheduleProvider;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.spi.TokenizerProvider;
import dev.microdiffusion.core.training.ClipPolicy;
import dev.microdiffusion.core.training.TrainingResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MlpDenoiserTest {

    @Test
    void theReferenceSizesHaveTheReferenceParameterCounts() {
        DenoiserProvider mlp = Registry.find(DenoiserProvider.class, "mlp");
        DenoiserProvider skip = Registry.find(DenoiserProvider.class, "mlp-skip");
        Denoiser two = mlp.create(mlp.defaultConfig(28), new RandomStreams(1).stream("init"));
        Denoiser three = skip.create(skip.defaultConfig(28), new RandomStreams(1).stream("init"));
        assertEquals(172_880, two.parameterCount());
        assertEquals(238_672, three.parameterCount());
        assertEquals(12, two.maxLength());
        assertEquals(ClipPolicy.WEIGHTS, mlp.referenceTraining().clip());
        assertEquals(ClipPolicy.ALL, skip.referenceTraining().clip());
        assertEquals(List.of("W1", "b1", "W2", "b2", "W3", "b3"),
                three.parameters().stream().map(Parameter::name).toList());
    }

    @Test
    void initialisationHasTheReferenceVariances() {
        Denoiser he = new MlpDenoiser("mlp", new DenoiserConfig(28, 12), 256, 1, MlpDenoiser.Scheme.HE,
                MatrixKernels.preferred(), new RandomStreams(3).stream("init"));
        Denoiser xavier = new MlpDenoiser("mlp-skip", new DenoiserConfig(28, 12), 256, 2, MlpDenoiser.Scheme.XAVIER,
                MatrixKernels.preferred(), new RandomStreams(3).stream("init"));
        assertEquals(2.0 / 337, variance(he.parameters().get(0).values()), 0.03 * 2.0 / 337);
        assertEquals(2.0 / 256, variance(he.parameters().get(2).values()), 0.03 * 2.0 / 256);
        assertEquals(2.0 / (337 + 256), variance(xavier.parameters().get(0).values()), 0.03 * 2.0 / 593);
        assertEquals(2.0 / 512, variance(xavier.parameters().get(2).values()), 0.03 * 2.0 / 512);
        for (float b : he.parameters().get(1).values()) {
            assertEquals(0f, b);
        }
    }

    private static double variance(float[] v) {
        double sum = 0;
        double sq = 0;
        for (float x : v) {
            sum += x;
            sq += (double) x * x;
        }
        double mean = sum / v.length;
        return sq / v.length - mean * mean;
    }

    /** The gather of W1's rows is the one-hot product x·W1, and the scatter is xᵀ·dZ. */
    @Test
    void gatherAndScatterEqualTheDenseOneHotProducts() {
        int vocab = 6;
        int length = 4;
        int hidden = 5;
        int batch = 3;
        int inputs = length * vocab + 1;
        Random random = new Random(5);
        Parameter weight = new Parameter("W1", Parameter.Kind.WEIGHT, inputs, hidden);
        Parameter biasParameter = new Parameter("b1", Parameter.Kind.BIAS, hidden);
        float[] w = weight.values();
        float[] bias = biasParameter.values();
        float[] dOut = new float[batch * hidden];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < hidden; i++) {
            bias[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < dOut.length; i++) {
            dOut[i] = (float) random.nextGaussian();
        }
        int[] tokens = new int[batch * length];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(vocab);
        }
        float[] times = {0.25f, 1f, 0.025f};
        float[] x = new float[batch * inputs];
        for (int b = 0; b < batch; b++) {
            for (int pos = 0; pos < length; pos++) {
                x[b * inputs + pos * vocab + tokens[b * length + pos]] = 1f;
            }
            x[b * inputs + length * vocab] = times[b];
        }
        MatrixKernel kernel = MatrixKernels.preferred();

        float[] dense = new float[batch * hidden];
        kernel.multiply(x, w, dense, batch, inputs, hidden);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                dense[b * hidden + j] += bias[j];
            }
        }
        float[] denseGrad = new float[w.length];
        kernel.multiplyTransposeAAdd(x, dOut, denseGrad, batch, inputs, hidden);
        float[] first = null;
        for (MatrixKernel k : new MatrixKernel[] {MatrixKernels.portable(), kernel}) {
            OneHotLinear layer = new OneHotLinear(k, weight, biasParameter, length, vocab);
            float[] gathered = new float[batch * hidden];
            layer.forward(tokens, times, gathered, batch);
            assertArrayEquals(dense, gathered, 1e-5f, k.name());
            weight.zeroGradient();
            layer.backward(dOut, tokens, times, Gradients.OWN, batch);
            assertArrayEquals(denseGrad, weight.gradient(), 1e-5f, k.name());
            if (first == null) {
                first = gathered;
            } else {
                assertArrayEquals(first, gathered, "both kernels add in the same order: the same bits");
            }
        }
    }

    @Test
    void batchesSmallerThanThePassGiveTheSameRows() {
        DenoiserProvider skip = Registry.find(DenoiserProvider.class, "mlp-skip");
        Denoiser d = skip.create(new DenoiserConfig(7, 5).with("hidden", 8), new RandomStreams(2).stream("init"));
        int[] tokens = {0, 1, 2, 5, 5, 6, 6, 6, 6, 6, 3, 4, 5, 5, 5};
        float[] times = {0.1f, 1f, 0.5f};
        float[] all = new float[3 * 5 * 7];
        d.newPass(3).forward(tokens, times, 3, all);
        float[] one = new float[5 * 7];
        Denoiser.Pass big = d.newPass(16);
        big.forward(new int[] {6, 6, 6, 6, 6}, new float[] {1f}, 1, one);
        for (int i = 0; i < one.length; i++) {
            assertEquals(all[35 + i], one[i], 1e-6f);
        }
        assertThrows(IllegalArgumentException.class, () -> d.newPass(2).forward(tokens, times, 3, all));
    }

    @Test
    void theSameSeedGivesIdenticalWeightsAndNames() throws IOException {
        List<String> corpus = List.of("emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "harper");
        assertEquals(trainAndSample(corpus, 9), trainAndSample(corpus, 9));
    }

    private static List<String> trainAndSample(List<String> lines, long seed) throws IOException {
        TrainingRun run = TrainingRun.builder(lines).denoiser("mlp-skip").denoiserSetting("hidden", 32).maxLength(8)
                .validationFraction(0).steps(100).seed(seed).build();
        run.train();
        StringBuilder weights = new StringBuilder();
        for (Parameter p : run.model().denoiser().parameters()) {
            weights.append(Arrays.hashCode(p.values()));
        }
        List<String> names = run.model().generation().count(30).temperature(0.8).seed(seed).generate();
        return List.of(weights.toString(), String.join(",", names));
    }

    @Test
    void oneAndTwoThreadsGenerateTheSameNames() {
        List<String> corpus = List.of("emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "harper");
        Tokenizer tokenizer = Registry.find(TokenizerProvider.class, "char").fit(corpus, 8);
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, "mlp");
        Denoiser d = provider.create(new DenoiserConfig(tokenizer.vocabSize(), 8).with("hidden", 32),
                new RandomStreams(5).stream("init"));
        DiffusionModel model = new DiffusionModel(tokenizer, d,
                Registry.find(NoiseScheduleProvider.class, "cosine").create(), 20);
        List<String> one = model.generation().count(90).batchSize(16).threads(1)
                .random(new RandomStreams(6).stream("s")).generate();
        List<String> two = model.generation().count(90).batchSize(16).threads(2)
                .random(new RandomStreams(6).stream("s")).generate();
        List<String> five = model.generation().count(90).batchSize(16).threads(5)
                .random(new RandomStreams(6).stream("s")).generate();
        assertEquals(90, one.size());
        assertEquals(one, two);
        assertEquals(one, five);
    }

    /** A short run on the reference data: the loss must fall far below the start (ln 28 ≈ 3.3). */
    @Test
    void learnsTheReferenceNames() throws IOException {
        Path names = Path.of(System.getProperty("microdiffusion.names", "../../shared/data/names.txt"));
        assumeTrue(Files.isRegularFile(names), "the reference names data set is not here: " + names);
        List<String> lines = Files.readAllLines(names, StandardCharsets.UTF_8);
        TrainingResult result = TrainingRun.builder(lines).validationFraction(0).steps(1500).build().train();
        assertTrue(result.meanLossOfLast(300) < 1.0, "mean loss of the last 300 steps: " + result.meanLossOfLast(300));
    }
}
