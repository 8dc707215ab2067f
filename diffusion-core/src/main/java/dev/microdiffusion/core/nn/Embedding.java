package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;

/**
 * A table of {@code count} learned vectors of width d, looked up by id: token, position and label embeddings
 * (PyTorch's {@code nn.Embedding}). Backward scatters each row's gradient into the vector it was looked up from.
 */
public final class Embedding {

    private final MatrixKernel kernel;
    private final Parameter table;
    private final int count;
    private final int width;

    private Embedding(MatrixKernel kernel, Parameter table) {
        this.kernel = kernel;
        this.table = table;
        this.count = table.shape()[0];
        this.width = table.shape()[1];
    }

    /**
     * Registers {@code name.weight} [count, width].
     *
     * @param kernel     the kernel the row additions run on
     * @param parameters where the table is registered
     * @param name       the layer's name, e.g. {@code tok_emb}
     * @param count      the vectors
     * @param width      the width d
     * @return the layer
     */
    public static Embedding of(MatrixKernel kernel, ParameterList parameters, String name, int count, int width) {
        return new Embedding(kernel, parameters.add(name + ".weight", Parameter.Kind.EMBEDDING, count, width));
    }

    /**
     * An embedding over a table [count, width] registered by the caller under its own name.
     *
     * @param kernel the kernel the row additions run on
     * @param table  [count, width]
     * @return the layer
     */
    public static Embedding over(MatrixKernel kernel, Parameter table) {
        if (table.shape().length != 2) {
            throw new IllegalArgumentException(table.name() + ": an embedding table is [count, width]");
        }
        return new Embedding(kernel, table);
    }

    /**
     * PyTorch's default for {@code nn.Embedding}: N(0, 1).
     *
     * @param init the initialisers
     */
    public void initialise(Init init) {
        init.normal(table, 1.0);
    }

    /** {@return the table} */
    public Parameter table() {
        return table;
    }

    /** {@return the width d} */
    public int width() {
        return width;
    }

    /**
     * out[i] = table[ids[i]] for i &lt; n.
     *
     * @param ids the ids, each in [0, count)
     * @param out receives [n, width]
     * @param n   how many
     */
    public void lookup(int[] ids, float[] out, int n) {
        float[] t = table.values();
        for (int i = 0; i < n; i++) {
            System.arraycopy(t, row(ids[i]), out, i * width, width);
        }
    }

    /**
     * out[i] += table[ids[i]] for i &lt; n: an embedding added to activations of the same width.
     *
     * @param ids the ids, each in [0, count)
     * @param out [n, width], added into
     * @param n   how many
     */
    public void addTo(int[] ids, float[] out, int n) {
        float[] t = table.values();
        for (int i = 0; i < n; i++) {
            kernel.axpy(1f, t, row(ids[i]), out, i * width, width);
        }
    }

    /**
     * Adds dL/dout[i] into the gradient of table[ids[i]] for i &lt; n (the backward of {@link #lookup} and {@link
     * #addTo} alike), rows in order.
     *
     * @param ids       the ids the forward looked up
     * @param dOut      [n, width]
     * @param gradients where the table's gradient is added
     * @param n         how many
     */
    public void backward(int[] ids, float[] dOut, Gradients gradients, int n) {
        float[] g = gradients.of(table);
        for (int i = 0; i < n; i++) {
            kernel.axpy(1f, dOut, i * width, g, row(ids[i]), width);
        }
    }

    private int row(int id) {
        if (id < 0 || id >= count) {
            throw new IllegalArgumentException(table.name() + ": id " + id + " outside [0, " + count + ")");
        }
        return id * width;
    }
}
