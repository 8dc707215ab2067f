package dev.microdiffusion.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microdiffusion.core.internal.RowStream;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each layer's backward against central finite differences of L = Σ c·y (c random), for its input and every
 * parameter, on both kernels; its forward against hand-computed values; and the fast kernel's forward against the
 * plain one's.
 */
class LayersTest {

    private static final Random RANDOM = new Random(17);

    private static MatrixKernel kernel(String name) {
        return name.equals("vector") ? MatrixKernels.preferred() : MatrixKernels.portable();
    }

    private static float[] gaussian(int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * RANDOM.nextGaussian());
        }
        return v;
    }

    /** Weights of the size that keeps activations of order 1 (1/√fan_in), where finite differences are exact. */
    private static void randomise(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            int[] shape = p.shape();
            float[] g = gaussian(p.size(), shape.length == 2 ? 1 / Math.sqrt(shape[1]) : 0.5);
            System.arraycopy(g, 0, p.values(), 0, g.length);
            p.zeroGradient();
        }
    }

    /** Σ c·y after {@code forward} recomputes y from the current inputs. */
    private static double loss(Runnable forward, float[] y, float[] c) {
        forward.run();
        double sum = 0;
        for (int i = 0; i < c.length; i++) {
            sum += (double) c[i] * y[i];
        }
        return sum;
    }

    /** Compares analytic gradients of an input array with central differences. */
    private static void check(String name, float[] input, float[] analytic, Runnable forward, float[] y, float[] c) {
        double h = 1e-3;
        for (int i = 0; i < input.length; i++) {
            float saved = input[i];
            input[i] = (float) (saved + h);
            double plus = loss(forward, y, c);
            input[i] = (float) (saved - h);
            double minus = loss(forward, y, c);
            input[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic[i], 2e-3 + 1e-2 * Math.abs(numeric), name + "[" + i + "]");
        }
        forward.run();
    }

    /** Runs forward, then backward with c, then checks the input's and every parameter's gradient. */
    private static void checkLayer(List<Parameter> parameters, float[] x, float[] dx, float[] y, Runnable forward,
            Consumer<float[]> backward) {
        randomise(parameters);
        float[] c = gaussian(y.length, 1);
        forward.run();
        backward.accept(c);
        if (x != null) {
            check("x", x, dx, forward, y, c);
        }
        for (Parameter p : parameters) {
            check(p.name(), p.values(), p.gradient(), forward, y, c);
        }
    }

    @Test
    void geluForwardByHandAndBackwardByFiniteDifferences() {
        float[] in = {0f, 1f, -1f, 3f};
        float[] out = new float[4];
        MatrixKernels.portable().gelu(in, out, 4);
        assertEquals(0.0, out[0], 1e-7);
        assertEquals(0.8413447, out[1], 1e-6); // 1·Φ(1)
        assertEquals(-0.1586553, out[2], 1e-6); // −1·Φ(−1)
        assertEquals(2.9959502, out[3], 1e-6);

        float[] x = gaussian(50, 2);
        float[] y = new float[50];
        float[] c = gaussian(50, 1);
        float[] dx = new float[50];
        Runnable forward = () -> MatrixKernels.portable().gelu(x, y, 50);
        forward.run();
        MatrixKernels.portable().geluBackward(x, c, dx, 50);
        check("x", x, dx, forward, y, c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "ojalgo"})
    void linearBothLayoutsByHandAndByFiniteDifferences(String kernelName) {
        MatrixKernel kernel = kernel(kernelName);
        ParameterList list = new ParameterList();
        Linear layer = Linear.of(kernel, list, "fc", 2, 1, true);
        assertEquals(List.of("fc.weight", "fc.bias"), list.list().stream().map(Parameter::name).toList());
        layer.weight().values()[0] = 2f;
        layer.weight().values()[1] = -1f;
        layer.bias().values()[0] = 0.5f;
        float[] y = new float[1];
        layer.forward(new float[] {3f, 4f}, y, 1);
        assertEquals(2 * 3 - 4 + 0.5, y[0], 1e-6);

        int rows = 3;
        float[] x = gaussian(rows * 5, 1);
        float[] dx = new float[x.length];
        float[] out = new float[rows * 4];
        ParameterList denseList = new ParameterList();
        Linear dense = Linear.of(kernel, denseList, "a", 5, 4, true);
        checkLayer(denseList.list(), x, dx, out, () -> dense.forward(x, out, rows),
                c -> dense.backward(c, x, dx, Gradients.OWN, rows));

        ParameterList own = new ParameterList();
        Parameter w = own.add("W1", Parameter.Kind.WEIGHT, 5, 4);
        Parameter b = own.add("b1", Parameter.Kind.BIAS, 4);
        Linear inputMajor = Linear.inputMajor(kernel, w, b);
        checkLayer(own.list(), x, dx, out, () -> inputMajor.forward(x, out, rows),
                c -> inputMajor.backward(c, x, dx, Gradients.OWN, rows));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "ojalgo"})
    void embeddingLooksUpAddsAndScatters(String kernelName) {
        MatrixKernel kernel = kernel(kernelName);
        ParameterList list = new ParameterList();
        Embedding table = Embedding.of(kernel, list, "tok_emb", 4, 3);
        randomise(list.list());
        int[] ids = {2, 0, 2};
        float[] out = new float[9];
        table.lookup(ids, out, 3);
        assertArrayEquals(Arrays.copyOfRange(table.table().values(), 6, 9), Arrays.copyOfRange(out, 0, 3));
        float[] base = gaussian(9, 1);
        float[] sum = base.clone();
        table.addTo(ids, sum, 3);
        assertEquals(base[4] + table.table().values()[1], sum[4], 0f);
        checkLayer(list.list(), null, null, out, () -> table.lookup(ids, out, 3),
                c -> table.backward(ids, c, Gradients.OWN, 3));
        assertThrows(IllegalArgumentException.class, () -> table.lookup(new int[] {4}, out, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "ojalgo"})
    void rmsNormForwardByHandAndBackwardByFiniteDifferences(String kernelName) {
        MatrixKernel kernel = kernel(kernelName);
        RmsNorm norm = new RmsNorm(kernel, new ParameterList(), "norm", 2);
        norm.scale().values()[0] = 1f;
        norm.scale().values()[1] = 2f;
        float[] y = new float[2];
        float[] r = new float[1];
        norm.forward(new float[] {3f, 4f}, y, r, 1);
        // mean(x²) = 12.5: y = x/√12.5 · scale
        assertEquals(3 / Math.sqrt(12.5), y[0], 1e-6);
        assertEquals(2 * 4 / Math.sqrt(12.5), y[1], 1e-6);

        // d = 6 takes the scalar path, d = 32 the vector kernel's lanes
        for (int d : new int[] {6, 32}) {
            int rows = 3;
            ParameterList list = new ParameterList();
            RmsNorm layer = new RmsNorm(kernel, list, "norm", d);
            float[] in = gaussian(rows * d, 1.5);
            float[] out = new float[rows * d];
            float[] rms = new float[rows];
            float[] dIn = new float[rows * d];
            checkLayer(list.list(), in, dIn, out, () -> layer.forward(in, out, rms, rows), c -> {
                Arrays.fill(dIn, 0f);
                layer.backward(c, in, rms, dIn, Gradients.OWN, rows);
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "ojalgo"})
    void selfAttentionByHandAndByFiniteDifferences(String kernelName) {
        MatrixKernel kernel = kernel(kernelName);
        // one row of two positions, one head of width 1, identity weights: q = k = 0 gives uniform attention, out =
        // the mean of v
        ParameterList one = new ParameterList();
        SelfAttention uniform = new SelfAttention(kernel, one, "attn", 2, 1, 1);
        List<Parameter> weights = one.list();
        Arrays.fill(weights.get(0).values(), 0f);
        weights.get(0).values()[2] = 1f; // v = x
        weights.get(1).values()[0] = 1f;
        float[] out = new float[2];
        uniform.forward(new float[] {2f, 4f}, out, uniform.newActivations(1), 1);
        assertEquals(3f, out[0], 1e-6);
        assertEquals(3f, out[1], 1e-6);

        // odd sizes (the plain path) and L = hd = 16 (the vector kernel's lane-wise path)
        for (int[] shape : new int[][] {{2, 3, 2, 2}, {1, 16, 1, 16}}) {
            int batch = shape[0];
            int length = shape[1];
            int heads = shape[2];
            int d = heads * shape[3];
            ParameterList list = new ParameterList();
            SelfAttention layer = new SelfAttention(kernel, list, "attn", length, d, heads);
            SelfAttention.Activations a = layer.newActivations(batch);
            float[] x = gaussian(batch * length * d, 1);
            float[] y = new float[x.length];
            float[] dx = gaussian(x.length, 1); // overwritten, not added to
            checkLayer(list.list(), x, dx, y, () -> layer.forward(x, y, a, batch),
                    c -> layer.backward(c, x, dx, a, Gradients.OWN, batch));
        }
        assertThrows(IllegalArgumentException.class, () -> new SelfAttention(kernel, new ParameterList(), "a", 4, 6,
                4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "ojalgo"})
    void feedForwardTimeEmbeddingAndOneHotByFiniteDifferences(String kernelName) {
        MatrixKernel kernel = kernel(kernelName);
        int rows = 4;
        ParameterList list = new ParameterList();
        FeedForward ffn = new FeedForward(kernel, list, "mlp", 3, 8);
        FeedForward.Activations fa = ffn.newActivations(rows);
        float[] x = gaussian(rows * 3, 1);
        float[] y = new float[x.length];
        float[] dx = new float[x.length];
        checkLayer(list.list(), x, dx, y, () -> ffn.forward(x, y, fa, rows),
                c -> ffn.backward(c, x, dx, fa, Gradients.OWN, rows));

        ParameterList timeList = new ParameterList();
        TimeEmbedding time = new TimeEmbedding(kernel, timeList, "time_mlp", 5);
        assertEquals(List.of("time_mlp.0.weight", "time_mlp.0.bias", "time_mlp.2.weight", "time_mlp.2.bias"),
                timeList.list().stream().map(Parameter::name).toList());
        TimeEmbedding.Activations ta = time.newActivations(3);
        float[] times = {0.1f, 0.5f, 0.9f};
        float[] emb = new float[15];
        checkLayer(timeList.list(), null, null, emb, () -> time.forward(times, emb, ta, 3),
                c -> time.backward(c, times, ta, Gradients.OWN, 3));

        ParameterList oneHotList = new ParameterList();
        Parameter w = oneHotList.add("W1", Parameter.Kind.WEIGHT, 2 * 3 + 1, 4);
        Parameter b = oneHotList.add("b1", Parameter.Kind.BIAS, 4);
        OneHotLinear first = new OneHotLinear(kernel, w, b, 2, 3);
        int[] tokens = {0, 2, 1, 1};
        float[] out = new float[8];
        checkLayer(oneHotList.list(), null, null, out, () -> first.forward(tokens, times, out, 2),
                c -> first.backward(c, tokens, times, Gradients.OWN, 2));
        // against the dense product with x = one-hot ‖ t
        float[] dense = new float[2 * 7];
        for (int r = 0; r < 2; r++) {
            dense[r * 7 + tokens[r * 2]] = 1f;
            dense[r * 7 + 3 + tokens[r * 2 + 1]] = 1f;
            dense[r * 7 + 6] = times[r];
        }
        float[] expected = new float[8];
        Linear.inputMajor(MatrixKernels.portable(), w, b).forward(dense, expected, 2);
        first.forward(tokens, times, out, 2);
        assertArrayEquals(expected, out, 1e-5f);
    }

    @Test
    void dropoutDropsAtItsRateScalesTheRestAndOnlyWhileTraining() {
        int batch = 4;
        int perRow = 5000;
        Dropout dropout = new Dropout(0.25);
        float[] x = new float[batch * perRow];
        Arrays.fill(x, 2f);
        float[] mask = new float[x.length];
        assertEquals(false, dropout.forward(x, mask, batch, perRow, null), "inference");
        assertEquals(false, new Dropout(0).forward(x, mask, batch, perRow, b -> new RowStream(b)), "p = 0");
        assertArrayEquals(filled(x.length, 2f), x);
        assertEquals(true, dropout.forward(x, mask, batch, perRow, b -> new RowStream(b)));
        int dropped = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == 0f) {
                dropped++;
                assertEquals(0f, mask[i]);
            } else {
                assertEquals(2f / 0.75f, x[i], 1e-6f);
                assertEquals(1f / 0.75f, mask[i], 1e-6f);
            }
        }
        // 20,000 draws at p = 0.25: 5,000 ± 61 (one sd)
        assertEquals(0.25, dropped / (double) x.length, 0.0125);
        // row b's mask comes from row b's stream alone: the same row at another place in a smaller batch
        float[] alone = filled(perRow, 2f);
        float[] aloneMask = new float[perRow];
        dropout.forward(alone, aloneMask, 1, perRow, b -> new RowStream(2));
        assertArrayEquals(Arrays.copyOfRange(mask, 2 * perRow, 3 * perRow), aloneMask);
        float[] d = filled(x.length, 1f);
        Dropout.backward(d, mask, x.length);
        assertArrayEquals(mask, d);
        assertThrows(IllegalArgumentException.class, () -> new Dropout(0.95));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "ojalgo"})
    void aTransformerBlockWithDropoutByFiniteDifferences(String kernelName) {
        MatrixKernel kernel = kernel(kernelName);
        int batch = 2;
        int length = 3;
        int width = 4;
        ParameterList list = new ParameterList();
        TransformerBlock block = new TransformerBlock(kernel, list, "blocks.0", length, width, 2, 0.3);
        TransformerBlock.Activations a = block.newActivations(batch);
        float[] x = gaussian(batch * length * width, 1);
        float[] y = new float[x.length];
        float[] scratch = new float[x.length];
        float[] dStream = new float[x.length];
        // a fresh stream per call: every forward of the check drops the same values
        RowRandom sameMasks = b -> new RowStream(40 + b);
        checkLayer(list.list(), x, dStream, y, () -> block.forward(x, y, a, scratch, batch, sameMasks), c -> {
            System.arraycopy(c, 0, dStream, 0, c.length);
            block.backward(dStream, x, a, scratch, Gradients.OWN, batch);
        });
        // inference drops nothing: the block without dropout, same weights
        ParameterList plainList = new ParameterList();
        TransformerBlock plain = new TransformerBlock(kernel, plainList, "blocks.0", length, width, 2);
        for (int i = 0; i < list.list().size(); i++) {
            float[] from = list.list().get(i).values();
            System.arraycopy(from, 0, plainList.list().get(i).values(), 0, from.length);
        }
        float[] expected = new float[x.length];
        plain.forward(x, expected, plain.newActivations(batch), new float[x.length], batch);
        block.forward(x, y, a, scratch, batch);
        assertArrayEquals(expected, y);
        block.forward(x, y, a, scratch, batch, sameMasks);
        assertEquals(false, Arrays.equals(expected, y), "training drops values");
    }

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        Arrays.fill(v, value);
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "ojalgo"})
    void conv1dByHandAndByFiniteDifferences(String kernelName) {
        MatrixKernel kernel = kernel(kernelName);
        // one channel, kernel (1, 2, 3): y[l] = x[l−1] + 2·x[l] + 3·x[l+1], zeros beyond the row
        ParameterList one = new ParameterList();
        Conv1d conv = new Conv1d(kernel, one, "conv", 3, 1, 1, 3, false);
        assertEquals(3, one.list().get(0).shape().length, "[out, in, k]");
        System.arraycopy(new float[] {1, 2, 3}, 0, one.list().get(0).values(), 0, 3);
        float[] y = new float[3];
        conv.forward(new float[] {1, 10, 100}, y, conv.newActivations(1), 1);
        assertArrayEquals(new float[] {2 + 30, 1 + 20 + 300, 10 + 200}, y, 1e-5f);

        int batch = 2;
        int length = 5;
        ParameterList list = new ParameterList();
        Conv1d layer = new Conv1d(kernel, list, "conv", length, 3, 4, 3, true);
        Conv1d.Activations a = layer.newActivations(batch);
        float[] x = gaussian(batch * length * 3, 1);
        float[] out = new float[batch * length * 4];
        float[] dx = gaussian(x.length, 1); // overwritten, not added to
        checkLayer(list.list(), x, dx, out, () -> layer.forward(x, out, a, batch),
                c -> layer.backward(c, dx, a, Gradients.OWN, batch));
        assertThrows(IllegalArgumentException.class, () -> new Conv1d(kernel, new ParameterList(), "c", 4, 1, 1, 2,
                false));
    }

    @Test
    void theFastKernelGivesThePlainOnesActivations() {
        int batch = 2;
        int length = 16;
        int d = 32;
        float[] x = gaussian(batch * length * d, 1);
        float[][] outputs = new float[2][];
        int k = 0;
        for (MatrixKernel kernel : new MatrixKernel[] {MatrixKernels.preferred(), MatrixKernels.portable()}) {
            Random seeded = new Random(5);
            ParameterList list = new ParameterList();
            RmsNorm norm = new RmsNorm(kernel, list, "norm", d);
            SelfAttention attention = new SelfAttention(kernel, list, "attn", length, d, 2);
            FeedForward ffn = new FeedForward(kernel, list, "mlp", d, 4 * d);
            for (Parameter p : list.list()) {
                for (int i = 0; i < p.size(); i++) {
                    p.values()[i] = (float) (0.3 * seeded.nextGaussian());
                }
            }
            int rows = batch * length;
            float[] n = new float[rows * d];
            float[] r = new float[rows];
            float[] a = new float[rows * d];
            float[] out = new float[rows * d];
            norm.forward(x, n, r, rows);
            attention.forward(n, a, attention.newActivations(batch), batch);
            ffn.forward(a, out, ffn.newActivations(rows), rows);
            outputs[k++] = out;
        }
        assertArrayEquals(outputs[1], outputs[0], 1e-4f);
    }

    @Test
    void viewsCheckTheirShapeAndIndices() {
        float[] data = new float[2 * 3 * 4];
        Tensor3 view = Tensor3.of(data, 2, 3, 4);
        view.set(1, 2, 3, 7f);
        view.add(1, 2, 3, 1f);
        assertEquals(8f, data[23]);
        assertEquals(8f, view.get(1, 2, 3));
        assertEquals(20, view.offset(1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(0, 3, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor3.of(data, 2, 3, 5));
        Tensor2 table = Tensor2.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        table.add(1, 2, 4f);
        assertEquals(10f, table.get(1, 2));
        assertEquals(3, table.offset(1));
        assertThrows(IndexOutOfBoundsException.class, () -> table.get(-1, 0));
        IntTensor2 ids = IntTensor2.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(6, ids.get(1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> ids.get(0, 3));
    }

    @Test
    void namesAreUniqueInAList() {
        ParameterList list = new ParameterList();
        Linear.of(MatrixKernels.portable(), list, "fc", 2, 2, false);
        assertThrows(IllegalArgumentException.class, () -> Linear.of(MatrixKernels.portable(), list, "fc", 2, 2,
                false));
    }

    @Test
    void rotaryTurnsPairsByTheirPositionsAngleAndItsBackwardIsTheTranspose() {
        // one head of 4: pairs (0, 2) and (1, 3); θ_0 = 1, θ_1 = 1/√base
        Rotary rotary = new Rotary(3, 4, 100);
        int width = 4;
        float[] qkv = new float[3 * 3 * width];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3 * width; c++) {
                qkv[r * 3 * width + c] = c + 1;
            }
        }
        float[] before = qkv.clone();
        rotary.rotate(qkv, 3, width);
        // row 0 (position 0) is unturned; v is never turned
        assertArrayEquals(Arrays.copyOfRange(before, 0, 12), Arrays.copyOfRange(qkv, 0, 12));
        int row2 = 2 * 12;
        double a = 2 * 1.0; // position 2, pair 0: angle 2·θ_0
        assertEquals(1 * Math.cos(a) - 3 * Math.sin(a), qkv[row2], 1e-5, "q[0]");
        assertEquals(3 * Math.cos(a) + 1 * Math.sin(a), qkv[row2 + 2], 1e-5, "q[2]");
        double b = 2 * 0.1; // pair 1: angle 2·θ_1, θ_1 = 100^(−2/4) = 0.1
        assertEquals(2 * Math.cos(b) - 4 * Math.sin(b), qkv[row2 + 1], 1e-5, "q[1]");
        assertEquals(5 * Math.cos(a) - 7 * Math.sin(a), qkv[row2 + 4], 1e-5, "k[0]");
        assertArrayEquals(Arrays.copyOfRange(before, row2 + 8, row2 + 12), Arrays.copyOfRange(qkv, row2 + 8, row2 + 12));
        // a rotation's transpose is its inverse: turning back restores the input
        rotary.rotateBack(qkv, 3, width);
        for (int i = 0; i < qkv.length; i++) {
            assertEquals(before[i], qkv[i], 1e-5, "at " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> new Rotary(4, 3, 10_000));
        assertThrows(IllegalArgumentException.class, () -> rotary.rotate(new float[36], 1, 6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "ojalgo"})
    void swiGluByHandAndByFiniteDifferences(String kernelName) {
        MatrixKernel kernel = kernel(kernelName);
        // width 1, inner width 1, every weight 1: out = SiLU(x)·x
        ParameterList one = new ParameterList();
        SwiGlu unit = new SwiGlu(kernel, one, "mlp", 1, 1);
        one.list().forEach(p -> Arrays.fill(p.values(), 1f));
        float[] out = new float[1];
        unit.forward(new float[] {2f}, out, unit.newActivations(1), 1);
        assertEquals(2 / (1 + Math.exp(-2)) * 2, out[0], 1e-6);

        int rows = 5;
        ParameterList list = new ParameterList();
        SwiGlu layer = new SwiGlu(kernel, list, "mlp", 6, 7);
        assertEquals(List.of("mlp.gate_up.weight", "mlp.down.weight"), list.list().stream().map(Parameter::name)
                .toList());
        SwiGlu.Activations a = layer.newActivations(rows);
        float[] x = gaussian(rows * 6, 1);
        float[] y = new float[x.length];
        float[] dx = new float[x.length];
        checkLayer(list.list(), x, dx, y, () -> layer.forward(x, y, a, rows),
                c -> layer.backward(c, x, dx, a, Gradients.OWN, rows));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "ojalgo"})
    void aBlockWithRotaryPositionsAndSwiGluByFiniteDifferences(String kernelName) {
        MatrixKernel kernel = kernel(kernelName);
        // odd sizes (the plain attention path) and L = hd = 16 (the vector kernel's lane-wise one)
        for (int[] shape : new int[][] {{2, 3, 4, 2}, {1, 16, 16, 1}}) {
            int batch = shape[0];
            int length = shape[1];
            int width = shape[2];
            int heads = shape[3];
            ParameterList list = new ParameterList();
            TransformerBlock block = new TransformerBlock(kernel, list, "blocks.0", length, width, heads,
                    new BlockOptions(0, new Rotary(length, width / heads, 10_000), 5));
            TransformerBlock.Activations a = block.newActivations(batch);
            float[] x = gaussian(batch * length * width, 1);
            float[] y = new float[x.length];
            float[] scratch = new float[x.length];
            float[] dStream = new float[x.length];
            checkLayer(list.list(), x, dStream, y, () -> block.forward(x, y, a, scratch, batch), c -> {
                System.arraycopy(c, 0, dStream, 0, c.length);
                block.backward(dStream, x, a, scratch, Gradients.OWN, batch);
            });
        }
        // positions matter with rotary and no position embedding: the same tokens in another order give other outputs
        ParameterList list = new ParameterList();
        TransformerBlock block = new TransformerBlock(kernel, list, "b", 2, 4, 1, new BlockOptions(0,
                new Rotary(2, 4, 10_000), 0));
        randomise(list.list());
        float[] ab = gaussian(8, 1);
        float[] ba = new float[8];
        System.arraycopy(ab, 4, ba, 0, 4);
        System.arraycopy(ab, 0, ba, 4, 4);
        float[] outAb = new float[8];
        float[] outBa = new float[8];
        block.forward(ab, outAb, block.newActivations(1), new float[8], 1);
        block.forward(ba, outBa, block.newActivations(1), new float[8], 1);
        assertEquals(false, Arrays.equals(Arrays.copyOfRange(outAb, 0, 4), Arrays.copyOfRange(outBa, 4, 8)),
                "a token's output depends on where it stands");
    }
}
