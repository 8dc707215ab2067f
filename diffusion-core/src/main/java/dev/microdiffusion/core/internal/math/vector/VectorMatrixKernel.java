package dev.microdiffusion.core.internal.math.vector;

import dev.microdiffusion.core.internal.math.Gelu;
import dev.microdiffusion.core.math.MatrixKernel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast kernel, on the Panama Vector API ({@code jdk.incubator.vector}); only loaded when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (see {@link dev.microdiffusion.core.math.MatrixKernels}).
 *
 * <p>C = A·B is computed eight rows of A at a time against two vectors' width of B's columns: per step of the inner
 * index p, two loads of B, eight broadcasts of A and sixteen fused multiply-adds into sixteen register accumulators
 * (enough independent chains to keep both FMA ports busy); four-row and one-row paths take the remainders. Larger
 * products use twelve rows against two vectors, or six against four when every column falls in four-vector panels. Aᵀ·B runs
 * eight columns of A against two vectors of B over all rows, and for tall products (a weight gradient over a batch of
 * a thousand rows) over chunks of rows that stay in L1. Every
 * output element is one fused multiply-add chain over p in increasing order, in the blocked path, the remainder rows
 * and the scalar column tail alike, so a row's result does not depend on which other rows share the call.
 * Cᵀ-style products reuse it: A·Bᵀ transposes B into per-thread scratch first (O(n·k), against O(m·n·k) work), or,
 * when A and C are the smaller pair, computes Cᵀ = B·Aᵀ.
 */
public final class VectorMatrixKernel implements MatrixKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int W = SPECIES.length();
    private static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));
    private static final float INV_SQRT_2PI = (float) (1.0 / Math.sqrt(2.0 * Math.PI));

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);
    /** multiply's padded tail of B [k × W] and of eight rows of C [8 × W]. */
    private static final ThreadLocal<float[][]> TAIL = ThreadLocal.withInitial(() -> new float[][] {new float[0],
        new float[8 * W]});

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void multiply(float[] a, float[] b, float[] c, int m, int k, int n) {
        check(a, m * k, b, k * n, c, m * n);
        int i = 0;
        int vectorEnd = n / W * W;
        int rest = n - vectorEnd;
        float[] bTail = null;
        float[] cTail = null;
        if (rest > 0 && m >= 8) {
            // the last n mod W columns of B, zero-padded to one vector: the 8-row blocks then compute their tail with
            // vectors too (in the same fused order as a scalar loop), not with one scalar FMA chain per element
            float[][] holder = TAIL.get();
            bTail = scratch(holder, 0, k * W);
            cTail = holder[1];
            for (int p = 0; p < k; p++) {
                System.arraycopy(b, p * n + vectorEnd, bTail, p * W, rest);
                Arrays.fill(bTail, p * W + rest, (p + 1) * W, 0f);
            }
        }
        int panelEnd = n / (2 * W) * (2 * W);
        if (n % (4 * W) == 0 && m >= 48) {
            // every column in four-vector panels (the Transformer's 64, 192 and 256): six rows against four vectors,
            // 24 accumulators with six broadcasts of A per step of p where twelve rows need twelve — the loop's
            // address arithmetic and bounds checks per FMA halve (1.06–1.13× at its shapes, model call 1.05×)
            for (; i + 6 <= m; i += 6) {
                for (int j = 0; j < n; j += 4 * W) {
                    VectorTiles.rows6x4(a, b, c, i, j, k, n);
                }
            }
        } else if (panelEnd > 0 && m >= 48) {
            // twelve rows against two vectors: 24 accumulators, fewer loads per FMA than eight rows (6–10 % faster at
            // the Transformer's shapes, 2–8 % at the MLPs' 64 rows, but 4 % slower at 16 rows, where the four left
            // over take the four-row path); the columns past the panels as two overlapping blocks of eight rows
            for (; i + 12 <= m; i += 12) {
                for (int j = 0; j < panelEnd; j += 2 * W) {
                    VectorTiles.rows12(a, b, c, i, j, k, n);
                }
                columnsAfterPanels(a, b, c, i, k, n, panelEnd, bTail, cTail);
                columnsAfterPanels(a, b, c, i + 4, k, n, panelEnd, bTail, cTail);
            }
        }
        for (; i + 8 <= m; i += 8) {
            for (int j = 0; j < panelEnd; j += 2 * W) {
                VectorTiles.rows8(a, b, c, i, j, k, n);
            }
            columnsAfterPanels(a, b, c, i, k, n, panelEnd, bTail, cTail);
        }
        for (; i + 4 <= m; i += 4) {
            rows4(a, b, c, i, k, n);
        }
        for (; i < m; i++) {
            row1(a, i * k, 1, b, c, i * n, k, n, 0);
        }
    }

    @Override
    public void multiplyTransposeAAdd(float[] a, float[] b, float[] c, int m, int k, int n) {
        check(a, m * k, b, m * n, c, k * n);
        // C[p, :] += Σ_i A[i, p]·B[i, :]: rows of C are indexed by p, and A's column p is read with stride k
        int p = 0;
        int panelEnd = n / (2 * W) * (2 * W);
        int groupEnd = k / 8 * 8;
        int chunk = Math.max(16, CHUNK_FLOATS / Math.max(1, n));
        int from = 0;
        // only with several chunks: at the MLPs' 64 rows, moving the chains in and out cost more than it saved
        if (m >= 4 * chunk && panelEnd == n && k >= 12) {
            // every column in panels: groups of twelve columns of A (24 accumulators), the rest below in full
            p = k / 12 * 12;
            chunkedPanels(a, b, c, m, k, n, p, 12, panelEnd, chunk);
        } else if (m >= 4 * chunk && groupEnd > 0 && panelEnd > 0) {
            chunkedPanels(a, b, c, m, k, n, groupEnd, 8, panelEnd, chunk);
            from = panelEnd;
        } else if (panelEnd == n && k >= 12) {
            // a short product with every column in panels: twelve columns of A at a time over all rows
            for (; p + 12 <= k; p += 12) {
                for (int j = 0; j < n; j += 2 * W) {
                    VectorTiles.columns12(a, b, c, p, j, m, k, n);
                }
            }
        }
        for (; p + 8 <= k; p += 8) {
            cols8(a, b, c, p, m, k, n, from);
        }
        for (; p + 4 <= k; p += 4) {
            cols4(a, b, c, p, m, k, n);
        }
        for (; p < k; p++) {
            row1Add(a, p, k, b, c, p * n, m, n, 0);
        }
    }

    @Override
    public void multiplyTransposeB(float[] a, float[] b, float[] c, int m, int k, int n) {
        check(a, m * k, b, n * k, c, m * n);
        float[][] holder = SCRATCH.get();
        if ((long) m * (k + n) < (long) n * k) {
            // few rows against a large B (the MLPs' backward through a weight, a sampling call of one name): Cᵀ = B·Aᵀ
            // moves A and C (m·(k + n) floats) instead of B (n·k). Element (j, i) of B·Aᵀ is the chain over p of
            // B[j, p]·A[i, p], the same fused chain as A·Bᵀ's (i, j) since a product's factors commute: the same bits
            float[] at = scratch(holder, 0, k * m);
            float[] ct = scratch(holder, 1, n * m);
            transpose(a, at, m, k);
            multiply(b, at, ct, n, k, m);
            transpose(ct, c, n, m);
            return;
        }
        float[] bt = scratch(holder, 0, n * k);
        transpose(b, bt, n, k);
        multiply(a, bt, c, m, k, n);
    }

    /** holder[slot], grown to at least {@code size} floats. */
    private static float[] scratch(float[][] holder, int slot, int size) {
        if (holder[slot].length < size) {
            holder[slot] = new float[size];
        }
        return holder[slot];
    }

    /** Side of the tiles {@link #transpose} copies: a tile's rows and columns stay in cache while it is copied. */
    private static final int TILE = 16;

    /**
     * bt[k×n] = b[n×k]ᵀ tile by tile: a plain double loop writes bt with a stride of n floats and touches a new cache
     * line per element, which cost a fifth of an MLP training step.
     */
    private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> new int[W]);

    private static void transpose(float[] b, float[] bt, int n, int k) {
        int[] index = GATHER.get();
        for (int i = 0; i < W; i++) {
            index[i] = i * k;
        }
        int vectorEnd = n / W * W;
        for (int j = 0; j < vectorEnd; j += W) {
            for (int p = 0; p < k; p++) {
                FloatVector.fromArray(SPECIES, b, j * k + p, index, 0).intoArray(bt, p * n + j);
            }
        }
        for (int j0 = vectorEnd; j0 < n; j0 += TILE) {
            int j1 = Math.min(n, j0 + TILE);
            for (int p0 = 0; p0 < k; p0 += TILE) {
                int p1 = Math.min(k, p0 + TILE);
                for (int j = j0; j < j1; j++) {
                    int from = j * k;
                    for (int p = p0; p < p1; p++) {
                        bt[p * n + j] = b[from + p];
                    }
                }
            }
        }
    }

    /**
     * Rows i … i+7 of C from column {@code from} (past the two-vector panels): a one-vector column with eight chains,
     * then the last n mod W columns against B's zero-padded tail.
     */
    private static void columnsAfterPanels(float[] a, float[] b, float[] c, int i, int k, int n, int from,
            float[] bTail, float[] cTail) {
        int j = from;
        if (j + W <= n) {
            // one vector wide (the attention's 16×16 products): eight independent chains, not one per row
            rows8x1(a, i * k, k, b, j, n, c, i * n + j, n);
            j += W;
        }
        int rest = n - j;
        if (rest > 0) {
            rows8x1(a, i * k, k, bTail, 0, W, cTail, 0, W);
            for (int r = 0; r < 8; r++) {
                System.arraycopy(cTail, r * W, c, (i + r) * n + j, rest);
            }
        }
    }

    /**
     * Eight rows of C, one vector wide: C[r·cStride + cOff ..] = A[a0 + r·k ..]·B[:, bCol .. bCol + W) for r &lt; 8,
     * B's rows bStride apart; eight accumulators, one per row.
     */
    private static void rows8x1(float[] a, int a0, int k, float[] b, int bCol, int bStride, float[] c, int cOff,
            int cStride) {
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = FloatVector.zero(SPECIES);
        FloatVector c2 = FloatVector.zero(SPECIES);
        FloatVector c3 = FloatVector.zero(SPECIES);
        FloatVector c4 = FloatVector.zero(SPECIES);
        FloatVector c5 = FloatVector.zero(SPECIES);
        FloatVector c6 = FloatVector.zero(SPECIES);
        FloatVector c7 = FloatVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, p * bStride + bCol);
            c0 = FloatVector.broadcast(SPECIES, a[a0 + 0 * k + p]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, a[a0 + 1 * k + p]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, a[a0 + 2 * k + p]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, a[a0 + 3 * k + p]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, a[a0 + 4 * k + p]).fma(b0, c4);
            c5 = FloatVector.broadcast(SPECIES, a[a0 + 5 * k + p]).fma(b0, c5);
            c6 = FloatVector.broadcast(SPECIES, a[a0 + 6 * k + p]).fma(b0, c6);
            c7 = FloatVector.broadcast(SPECIES, a[a0 + 7 * k + p]).fma(b0, c7);
        }
        store(c0, c, cOff + 0 * cStride);
        store(c1, c, cOff + 1 * cStride);
        store(c2, c, cOff + 2 * cStride);
        store(c3, c, cOff + 3 * cStride);
        store(c4, c, cOff + 4 * cStride);
        store(c5, c, cOff + 5 * cStride);
        store(c6, c, cOff + 6 * cStride);
        store(c7, c, cOff + 7 * cStride);
    }

    /** C[i..i+3, :] = A[i..i+3, :]·B. */
    private static void rows4(float[] a, float[] b, float[] c, int i, int k, int n) {
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int j = 0;
        for (; j + 2 * W <= n; j += 2 * W) {
            VectorTiles.rows4(a, b, c, i, j, k, n);
        }
        for (; j + W <= n; j += W) {
            FloatVector c0 = FloatVector.zero(SPECIES);
            FloatVector c1 = FloatVector.zero(SPECIES);
            FloatVector c2 = FloatVector.zero(SPECIES);
            FloatVector c3 = FloatVector.zero(SPECIES);
            for (int p = 0; p < k; p++) {
                FloatVector bv = FloatVector.fromArray(SPECIES, b, p * n + j);
                c0 = FloatVector.broadcast(SPECIES, a[a0 + p]).fma(bv, c0);
                c1 = FloatVector.broadcast(SPECIES, a[a1 + p]).fma(bv, c1);
                c2 = FloatVector.broadcast(SPECIES, a[a2 + p]).fma(bv, c2);
                c3 = FloatVector.broadcast(SPECIES, a[a3 + p]).fma(bv, c3);
            }
            store(c0, c, i * n + j);
            store(c1, c, (i + 1) * n + j);
            store(c2, c, (i + 2) * n + j);
            store(c3, c, (i + 3) * n + j);
        }
        for (int r = 0; r < 4; r++) {
            tail(a, (i + r) * k, 1, b, c, (i + r) * n, k, n, j, false);
        }
    }

    /**
     * C[p..p+7, :] += Σ_i A[i, p..p+7]·B[i, :]: sixteen accumulators, and B streamed once per eight rows of C, not
     * four (B is the large operand here: activations of every row of the batch). Each element is still one fused
     * chain over i in increasing order, as in {@link #cols4} and {@link #row1Add}.
     */
    private static void cols8(float[] a, float[] b, float[] c, int p, int m, int k, int n, int from) {
        int j = from;
        for (; j + 2 * W <= n; j += 2 * W) {
            VectorTiles.columns8(a, b, c, p, j, m, k, n);
        }
        if (j + W <= n) {
            cols4x1(a, b, c, p, m, k, n, j);
            cols4x1(a, b, c, p + 4, m, k, n, j);
            j += W;
        }
        for (int r = 0; r < 8; r++) {
            row1Add(a, p + r, k, b, c, (p + r) * n, m, n, j);
        }
    }

    /**
     * How many floats of B one chunk of rows holds in {@link #chunkedPanels} (32 KB): small enough to stay in L1 while
     * every eight-column group of A runs past it. 4,096 and 16,384 measured within a few per cent of it.
     */
    private static final int CHUNK_FLOATS = 8192;
    /** chunkedPanels' running chains, [the columns of A it covers × n rounded down to 2W]. */
    private static final ThreadLocal<float[][]> CHAINS = ThreadLocal.withInitial(() -> new float[1][0]);

    /**
     * C[0..groupEnd, 0..panelEnd) += Aᵀ·B over chunks of rows: each chunk of B is read from L1 by every group of eight
     * columns of A, where one pass over all m rows per group streamed B from L2 k/8 times. The accumulators leave
     * registers between chunks as the running chains themselves (not added to C), so each element is still one fused
     * chain over i in increasing order, added to C once: the same bits as unchunked (1.1–1.25× faster at the
     * Transformer's shapes, paired A/B against the unchunked form in one process).
     */
    private static void chunkedPanels(float[] a, float[] b, float[] c, int m, int k, int n, int groupEnd, int group,
            int panelEnd, int chunk) {
        float[] chains = scratch(CHAINS.get(), 0, groupEnd * panelEnd);
        Arrays.fill(chains, 0, groupEnd * panelEnd, 0f);
        for (int i0 = 0; i0 < m; i0 += chunk) {
            int i1 = Math.min(m, i0 + chunk);
            for (int p = 0; p < groupEnd; p += group) {
                for (int j = 0; j < panelEnd; j += 2 * W) {
                    if (group == 12) {
                        VectorTiles.columns12Chunk(a, b, chains, p, j, i0, i1, k, n, panelEnd, p, j);
                    } else {
                        VectorTiles.columns8Chunk(a, b, chains, p, j, i0, i1, k, n, panelEnd, p, j);
                    }
                }
            }
        }
        for (int p = 0; p < groupEnd; p++) {
            for (int j = 0; j < panelEnd; j += W) {
                FloatVector.fromArray(SPECIES, chains, p * panelEnd + j)
                        .add(FloatVector.fromArray(SPECIES, c, p * n + j)).intoArray(c, p * n + j);
            }
        }
    }

    /** C[p..p+3, :] += Σ_i A[i, p..p+3]·B[i, :] (the Aᵀ·B product, four rows of C at a time). */
    private static void cols4(float[] a, float[] b, float[] c, int p, int m, int k, int n) {
        int j = 0;
        for (; j + 2 * W <= n; j += 2 * W) {
            VectorTiles.columns4(a, b, c, p, j, m, k, n);
        }
        if (j + W <= n) {
            // one vector left (the MLPs' 336 = 10·32 + 16 outputs): four chains, not one per row
            cols4x1(a, b, c, p, m, k, n, j);
            j += W;
        }
        for (int r = 0; r < 4; r++) {
            row1Add(a, p + r, k, b, c, (p + r) * n, m, n, j);
        }
    }

    /** C[p..p+3, j..j+W) += A[:, p..p+3]ᵀ·B[:, j..j+W). Its own method: C2 boxes vectors made inside a branch. */
    private static void cols4x1(float[] a, float[] b, float[] c, int p, int m, int k, int n, int j) {
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = FloatVector.zero(SPECIES);
        FloatVector c2 = FloatVector.zero(SPECIES);
        FloatVector c3 = FloatVector.zero(SPECIES);
        for (int i = 0; i < m; i++) {
            int ai = i * k + p;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, i * n + j);
            c0 = FloatVector.broadcast(SPECIES, a[ai]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, a[ai + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, a[ai + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, a[ai + 3]).fma(b0, c3);
        }
        // spelled out, not through storeAdd: a vector passed to a call C2 did not inline is boxed
        int c0At = p * n + j;
        c0.add(FloatVector.fromArray(SPECIES, c, c0At)).intoArray(c, c0At);
        c1.add(FloatVector.fromArray(SPECIES, c, c0At + n)).intoArray(c, c0At + n);
        c2.add(FloatVector.fromArray(SPECIES, c, c0At + 2 * n)).intoArray(c, c0At + 2 * n);
        c3.add(FloatVector.fromArray(SPECIES, c, c0At + 3 * n)).intoArray(c, c0At + 3 * n);
    }

    /**
     * One row of C from column {@code from}: C[cOff + j] = Σ_q X[xOff + q·xStride]·B[q·n + j] over q &lt; inner, where X
     * is a row of A (stride 1). {@link #row1Add} is the += form. They are separate methods on purpose: one method doing
     * both would merge two vectors at a branch, which C2 (JDK 17) boxes once it has seen both branches — an allocation
     * per call.
     */
    private static void row1(float[] x, int xOff, int xStride, float[] b, float[] c, int cOff, int inner, int n,
            int from) {
        int j = from;
        for (; j + W <= n; j += W) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int q = 0; q < inner; q++) {
                acc = FloatVector.broadcast(SPECIES, x[xOff + q * xStride]).fma(FloatVector.fromArray(SPECIES, b, q * n + j), acc);
            }
            acc.intoArray(c, cOff + j);
        }
        tail(x, xOff, xStride, b, c, cOff, inner, n, j, false);
    }

    /** As {@link #row1} but C += (X is then a column of A, stride k). */
    private static void row1Add(float[] x, int xOff, int xStride, float[] b, float[] c, int cOff, int inner, int n,
            int from) {
        int j = from;
        for (; j + W <= n; j += W) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int q = 0; q < inner; q++) {
                acc = FloatVector.broadcast(SPECIES, x[xOff + q * xStride]).fma(FloatVector.fromArray(SPECIES, b, q * n + j), acc);
            }
            storeAdd(acc, c, cOff + j);
        }
        tail(x, xOff, xStride, b, c, cOff, inner, n, j, true);
    }

    /** Columns j.. n−1 of one row, scalar, in the same fused order as the vector lanes. */
    private static void tail(float[] x, int xOff, int xStride, float[] b, float[] c, int cOff, int inner, int n, int from,
            boolean add) {
        for (int j = from; j < n; j++) {
            float acc = 0f;
            for (int q = 0; q < inner; q++) {
                acc = Math.fma(x[xOff + q * xStride], b[q * n + j], acc);
            }
            c[cOff + j] = add ? c[cOff + j] + acc : acc;
        }
    }

    private static void store(FloatVector v, float[] c, int offset) {
        v.intoArray(c, offset);
    }

    private static void storeAdd(FloatVector v, float[] c, int offset) {
        v.add(FloatVector.fromArray(SPECIES, c, offset)).intoArray(c, offset);
    }

    private static void check(float[] a, int aSize, float[] b, int bSize, float[] c, int cSize) {
        if (a.length < aSize || b.length < bSize || c.length < cSize) {
            throw new IllegalArgumentException("matrix arrays too short: A " + a.length + "/" + aSize + ", B "
                    + b.length + "/" + bSize + ", C " + c.length + "/" + cSize);
        }
    }

    // The element-wise methods run a range method over whole vectors of the array, then over the tail copied into a
    // padded scratch. No vector value crosses a branch or a call: C2 (JDK 17) boxes a vector merged at a branch or
    // passed to a method it did not inline, which allocates on every call.

    @Override
    public void rmsNorm(float[] x, float[] scale, float[] y, float[] r, int rows, int d, float epsilon) {
        if (d % W != 0) {
            MatrixKernel.super.rmsNorm(x, scale, y, r, rows, d, epsilon);
            return;
        }
        float[] lanes = PAD.get();
        for (int row = 0; row < rows; row++) {
            int o = row * d;
            // the squares summed lane-wise, then the lanes in a fixed order (a lane reduction's order differs between
            // compiled and interpreted code): W independent chains instead of one d long
            squaresByLane(x, o, d, lanes);
            float sumSquares = 0f;
            for (int i = 0; i < W; i++) {
                sumSquares += lanes[i];
            }
            float inv = (float) (1.0 / Math.sqrt(sumSquares / d + epsilon));
            r[row] = inv;
            scaleRow(x, o, inv, scale, y, d);
        }
    }

    @Override
    public void rmsNormBackward(float[] dy, float[] x, float[] scale, float[] r, float[] dx, float[] dScale, int rows,
            int d) {
        if (d % W != 0) {
            MatrixKernel.super.rmsNormBackward(dy, x, scale, r, dx, dScale, rows, d);
            return;
        }
        float[] lanes = PAD.get();
        for (int row = 0; row < rows; row++) {
            int o = row * d;
            float inv = r[row];
            // a = Σ scale·dy·x lane-wise, then the lanes in a fixed order; dScale and dx in the scalar form's roundings
            weightedProductsByLane(scale, dy, x, o, d, inv, dScale, lanes);
            float a = 0f;
            for (int i = 0; i < W; i++) {
                a += lanes[i];
            }
            float c = inv * inv * inv * a / d;
            rmsNormInputGradient(dy, x, scale, o, d, inv, c, dx);
        }
    }

    /** lanes = Σ over the row's vectors of scale·dy·x; dScale += dy·x·inv. The running sum goes through memory. */
    private static void weightedProductsByLane(float[] scale, float[] dy, float[] x, int offset, int d, float inv,
            float[] dScale, float[] lanes) {
        FloatVector.zero(SPECIES).intoArray(lanes, 0);
        for (int i = 0; i < d; i += W) {
            FloatVector g = FloatVector.fromArray(SPECIES, dy, offset + i);
            FloatVector v = FloatVector.fromArray(SPECIES, x, offset + i);
            FloatVector s = FloatVector.fromArray(SPECIES, scale, i);
            s.mul(g).mul(v).add(FloatVector.fromArray(SPECIES, lanes, 0)).intoArray(lanes, 0);
            g.mul(v).mul(inv).add(FloatVector.fromArray(SPECIES, dScale, i)).intoArray(dScale, i);
        }
    }

    /** dx += inv·scale·dy − c·x over one row. */
    private static void rmsNormInputGradient(float[] dy, float[] x, float[] scale, int offset, int d, float inv, float c,
            float[] dx) {
        for (int i = 0; i < d; i += W) {
            FloatVector s = FloatVector.fromArray(SPECIES, scale, i);
            FloatVector term = s.mul(inv).mul(FloatVector.fromArray(SPECIES, dy, offset + i))
                    .sub(FloatVector.fromArray(SPECIES, x, offset + i).mul(c));
            term.add(FloatVector.fromArray(SPECIES, dx, offset + i)).intoArray(dx, offset + i);
        }
    }

    /**
     * lanes[0, W) = Σ over the row's vectors of x², lane by lane. The running sum goes through {@code lanes}, not a
     * vector carried from one iteration to the next: C2 (JDK 17) boxed that one in the sampler's loop (50 MB per run).
     */
    private static void squaresByLane(float[] x, int offset, int d, float[] lanes) {
        FloatVector first = FloatVector.fromArray(SPECIES, x, offset);
        first.mul(first).intoArray(lanes, 0);
        for (int i = W; i < d; i += W) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, offset + i);
            v.fma(v, FloatVector.fromArray(SPECIES, lanes, 0)).intoArray(lanes, 0);
        }
    }

    /** y = x·inv·scale, the same two roundings as the scalar form. */
    private static void scaleRow(float[] x, int offset, float inv, float[] scale, float[] y, int d) {
        for (int i = 0; i < d; i += W) {
            FloatVector.fromArray(SPECIES, x, offset + i).mul(inv).mul(FloatVector.fromArray(SPECIES, scale, i))
                    .intoArray(y, offset + i);
        }
    }

    /** Per-thread attention scratch: one row's transposed block [d × L] and its heads' score blocks [heads × L × L]. */
    private static final ThreadLocal<float[][]> ATTENTION = ThreadLocal.withInitial(() -> new float[2][0]);

    private static float[][] attentionScratch(int length, int heads, int headDim) {
        float[][] s = ATTENTION.get();
        if (s[0].length < length * heads * headDim || s[1].length < heads * length * length) {
            s[0] = new float[length * heads * headDim];
            s[1] = new float[heads * length * length];
        }
        return s;
    }

    private static boolean attentionFits(int length, int headDim) {
        return length % W == 0 && headDim % W == 0 && length % 8 == 0;
    }

    /**
     * Per (row, head): Sᵀ = K Qᵀ (keys down, queries across the lanes), so the softmax over keys is lane-wise — max,
     * exp, sum in key order and scaling without a horizontal reduction — and P v, Pᵀ dout and friends read P's entries
     * as broadcasts. Only Qᵀ is transposed; the products run straight on the strided qkv rows.
     *
     * <p>Each row's work runs in phases over all its heads (transpose, then scores and softmax, then P v): a value
     * written by scalar stores and read back at once as a vector (or the reverse) cannot be forwarded from the store
     * buffer and stalls until the stores retire; by the next phase they have.
     */
    @Override
    public void attention(float[] qkv, float[] probabilities, float[] out, int batch, int length, int heads,
            int headDim) {
        if (!attentionFits(length, headDim)) {
            MatrixKernel.super.attention(qkv, probabilities, out, batch, length, heads, headDim);
            return;
        }
        MatrixKernel.checkAttention(qkv, probabilities, out, "out", batch, length, heads, headDim);
        int d = heads * headDim;
        int stride = 3 * d;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[] qt = attentionScratch(length, heads, headDim)[0];
        for (int b = 0; b < batch; b++) {
            int row = b * length * stride;
            transposeBlock(qkv, row, stride, length, d, qt);
            for (int h = 0; h < heads; h++) {
                int p = (b * heads + h) * length * length;
                // Sᵀ[j, i] = Σ_c K[j, c]·Qᵀ[c, i]
                productRows(qkv, row + d + h * headDim, stride, 1, qt, h * headDim * length, length, headDim,
                        probabilities, p, length, length, length);
                softmaxOverKeys(probabilities, p, length, scale);
            }
            for (int h = 0; h < heads; h++) {
                // out[i, c] = Σ_j Pᵀ[j, i]·V[j, c]
                productRows(probabilities, (b * heads + h) * length * length, 1, length, qkv,
                        row + 2 * d + h * headDim, stride, length, out, b * length * d + h * headDim, d, headDim,
                        length);
            }
        }
    }

    @Override
    public void attentionBackward(float[] dOut, float[] qkv, float[] probabilities, float[] dQkv, int batch,
            int length, int heads, int headDim) {
        if (!attentionFits(length, headDim)) {
            MatrixKernel.super.attentionBackward(dOut, qkv, probabilities, dQkv, batch, length, heads, headDim);
            return;
        }
        MatrixKernel.checkAttention(qkv, probabilities, dOut, "dOut", batch, length, heads, headDim);
        MatrixKernel.checkAttention(dQkv, probabilities, dOut, "dOut", batch, length, heads, headDim);
        int d = heads * headDim;
        int stride = 3 * d;
        int block = length * length;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[][] scratch = attentionScratch(length, heads, headDim);
        float[] dOutT = scratch[0];
        float[] dScores = scratch[1];
        for (int b = 0; b < batch; b++) {
            int row = b * length * stride;
            int o = b * length * d;
            transposeBlock(dOut, o, d, length, d, dOutT);
            for (int h = 0; h < heads; h++) {
                int v = row + 2 * d + h * headDim;
                int p = (b * heads + h) * block;
                // dPᵀ[j, i] = Σ_c V[j, c]·doutᵀ[c, i]
                productRows(qkv, v, stride, 1, dOutT, h * headDim * length, length, headDim, dScores, h * block,
                        length, length, length);
                // dV[j, c] = Σ_i Pᵀ[j, i]·dout[i, c]
                productRows(probabilities, p, length, 1, dOut, o + h * headDim, d, length, dQkv, v, stride, headDim,
                        length);
                scoreGradients(probabilities, p, dScores, h * block, length, scale);
            }
            for (int h = 0; h < heads; h++) {
                int q = row + h * headDim;
                int k = q + d;
                // dQ[i, c] = Σ_j dSᵀ[j, i]·K[j, c];  dK[j, c] = Σ_i dSᵀ[j, i]·Q[i, c]
                productRows(dScores, h * block, 1, length, qkv, k, stride, length, dQkv, q, stride, headDim, length);
                productRows(dScores, h * block, length, 1, qkv, q, stride, length, dQkv, k, stride, headDim, length);
            }
        }
    }

    /** t[c·rows + r] = x[off + r·stride + c] for r &lt; rows, c &lt; cols; rows a multiple of W. */
    private static void transposeBlock(float[] x, int off, int stride, int rows, int cols, float[] t) {
        // one gather per W rows of a column (rows is a multiple of W here): a scalar copy cost as much as the scores
        int[] index = GATHER.get();
        for (int i = 0; i < W; i++) {
            index[i] = i * stride;
        }
        for (int r = 0; r < rows; r += W) {
            int from = off + r * stride;
            for (int c = 0; c < cols; c++) {
                FloatVector.fromArray(SPECIES, x, from + c, index, 0).intoArray(t, c * rows + r);
            }
        }
    }

    /**
     * out[outOff + r·outStride + j] = Σ_q x[xOff + r·xRowStride + q·xStride]·b[bOff + q·bStride + j] for r &lt; rows,
     * j &lt; n (rows a multiple of 8, n of W): eight rows at a time, one fused chain per element in increasing q.
     */
    private static void productRows(float[] x, int xOff, int xRowStride, int xStride, float[] b, int bOff,
            int bStride, int inner, float[] out, int outOff, int outStride, int n, int rows) {
        for (int r = 0; r < rows; r += 8) {
            int x0 = xOff + r * xRowStride;
            for (int j = 0; j < n; j += W) {
                eightRows(x, x0, xRowStride, xStride, b, bOff + j, bStride, inner, out, outOff + r * outStride + j,
                        outStride);
            }
        }
    }

    private static void eightRows(float[] x, int x0, int xRowStride, int xStride, float[] b, int bOff, int bStride,
            int inner, float[] out, int outOff, int outStride) {
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = FloatVector.zero(SPECIES);
        FloatVector c2 = FloatVector.zero(SPECIES);
        FloatVector c3 = FloatVector.zero(SPECIES);
        FloatVector c4 = FloatVector.zero(SPECIES);
        FloatVector c5 = FloatVector.zero(SPECIES);
        FloatVector c6 = FloatVector.zero(SPECIES);
        FloatVector c7 = FloatVector.zero(SPECIES);
        for (int q = 0; q < inner; q++) {
            FloatVector bq = FloatVector.fromArray(SPECIES, b, bOff + q * bStride);
            int xq = x0 + q * xStride;
            c0 = FloatVector.broadcast(SPECIES, x[xq]).fma(bq, c0);
            c1 = FloatVector.broadcast(SPECIES, x[xq + xRowStride]).fma(bq, c1);
            c2 = FloatVector.broadcast(SPECIES, x[xq + 2 * xRowStride]).fma(bq, c2);
            c3 = FloatVector.broadcast(SPECIES, x[xq + 3 * xRowStride]).fma(bq, c3);
            c4 = FloatVector.broadcast(SPECIES, x[xq + 4 * xRowStride]).fma(bq, c4);
            c5 = FloatVector.broadcast(SPECIES, x[xq + 5 * xRowStride]).fma(bq, c5);
            c6 = FloatVector.broadcast(SPECIES, x[xq + 6 * xRowStride]).fma(bq, c6);
            c7 = FloatVector.broadcast(SPECIES, x[xq + 7 * xRowStride]).fma(bq, c7);
        }
        c0.intoArray(out, outOff);
        c1.intoArray(out, outOff + outStride);
        c2.intoArray(out, outOff + 2 * outStride);
        c3.intoArray(out, outOff + 3 * outStride);
        c4.intoArray(out, outOff + 4 * outStride);
        c5.intoArray(out, outOff + 5 * outStride);
        c6.intoArray(out, outOff + 6 * outStride);
        c7.intoArray(out, outOff + 7 * outStride);
    }

    /**
     * In place on Sᵀ [L × L] at {@code off}: each column (a query) becomes softmax(column·scale).
     */
    private static void softmaxOverKeys(float[] s, int off, int length, float scale) {
        for (int i = 0; i < length; i += W) {
            FloatVector max = FloatVector.fromArray(SPECIES, s, off + i);
            for (int j = 1; j < length; j++) {
                max = max.max(FloatVector.fromArray(SPECIES, s, off + j * length + i));
            }
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int j = 0; j < length; j++) {
                int at = off + j * length + i;
                FloatVector e = exp(FloatVector.fromArray(SPECIES, s, at).sub(max).mul(scale));
                e.intoArray(s, at);
                sum = sum.add(e);
            }
            FloatVector inv = FloatVector.broadcast(SPECIES, 1f).div(sum);
            for (int j = 0; j < length; j++) {
                int at = off + j * length + i;
                FloatVector.fromArray(SPECIES, s, at).mul(inv).intoArray(s, at);
            }
        }
    }

    /**
     * In place on dPᵀ [L × L]: dSᵀ = Pᵀ ⊙ (dPᵀ − Σ_j Pᵀ ⊙ dPᵀ)·scale, the sum over keys j lane-wise in key order.
     */
    private static void scoreGradients(float[] probabilities, int p, float[] dScores, int off, int length,
            float scale) {
        for (int i = 0; i < length; i += W) {
            FloatVector dot = FloatVector.zero(SPECIES);
            for (int j = 0; j < length; j++) {
                dot = FloatVector.fromArray(SPECIES, probabilities, p + j * length + i)
                        .mul(FloatVector.fromArray(SPECIES, dScores, off + j * length + i)).add(dot);
            }
            for (int j = 0; j < length; j++) {
                int at = off + j * length + i;
                FloatVector.fromArray(SPECIES, probabilities, p + j * length + i)
                        .mul(FloatVector.fromArray(SPECIES, dScores, at).sub(dot)).mul(scale).intoArray(dScores, at);
            }
        }
    }

    @Override
    public void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int n) {
        int full = SPECIES.loopBound(n);
        axpyRange(a, x, xOffset, y, yOffset, full);
        // the scalar tail in the same two roundings as the lanes
        for (int i = full; i < n; i++) {
            y[yOffset + i] += a * x[xOffset + i];
        }
    }

    private static void axpyRange(float a, float[] x, int xOffset, float[] y, int yOffset, int count) {
        FloatVector scale = FloatVector.broadcast(SPECIES, a);
        for (int i = 0; i < count; i += W) {
            FloatVector.fromArray(SPECIES, x, xOffset + i).mul(scale)
                    .add(FloatVector.fromArray(SPECIES, y, yOffset + i)).intoArray(y, yOffset + i);
        }
    }

    @Override
    public void gelu(float[] in, float[] out, int n) {
        int full = SPECIES.loopBound(n);
        geluRange(in, 0, out, 0, full);
        if (full < n) {
            float[] pad = PAD.get();
            fillPad(pad, in, full, n - full, 0f);
            geluRange(pad, 0, pad, 0, W);
            System.arraycopy(pad, 0, out, full, n - full);
        }
    }

    private static void geluRange(float[] in, int inOff, float[] out, int outOff, int count) {
        for (int i = 0; i < count; i += W) {
            geluOf(FloatVector.fromArray(SPECIES, in, inOff + i)).intoArray(out, outOff + i);
        }
    }

    @Override
    public void geluBackward(float[] in, float[] dOut, float[] dIn, int n) {
        int full = SPECIES.loopBound(n);
        geluBackwardRange(in, 0, dOut, 0, dIn, 0, full);
        if (full < n) {
            float[] pad = PAD.get();
            fillPad(pad, in, full, n - full, 0f);
            System.arraycopy(dOut, full, pad, W, n - full);
            geluBackwardRange(pad, 0, pad, W, pad, 0, W);
            System.arraycopy(pad, 0, dIn, full, n - full);
        }
    }

    /** dIn = dOut·(Φ(x) + x·φ(x)); dIn may be dOut. */
    private static void geluBackwardRange(float[] in, int inOff, float[] dOut, int dOutOff, float[] dIn, int dInOff,
            int count) {
        for (int i = 0; i < count; i += W) {
            FloatVector x = FloatVector.fromArray(SPECIES, in, inOff + i);
            FloatVector cdf = erf(x.mul(INV_SQRT2)).add(1f).mul(0.5f);
            FloatVector pdf = exp(x.mul(x).mul(-0.5f)).mul(INV_SQRT_2PI);
            x.fma(pdf, cdf).mul(FloatVector.fromArray(SPECIES, dOut, dOutOff + i)).intoArray(dIn, dInOff + i);
        }
    }

    @Override
    public double exp(float[] in, int inOffset, float shift, float scale, float[] out, int outOffset, int n) {
        int full = SPECIES.loopBound(n);
        expRange(in, inOffset, shift, scale, out, outOffset, full);
        if (full < n) {
            float[] pad = PAD.get();
            fillPad(pad, in, inOffset + full, n - full, shift);
            expRange(pad, 0, shift, scale, pad, 0, W);
            System.arraycopy(pad, 0, out, outOffset + full, n - full);
        }
        // summed in a fixed order: a lane reduction's order differs between compiled and interpreted code
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += out[outOffset + j];
        }
        return sum;
    }

    @Override
    public void expShifted(float[] in, float[] shift, float scale, float[] out, int outOffset, int n) {
        int full = SPECIES.loopBound(n);
        expShiftedRange(in, shift, scale, out, outOffset, full);
        if (full < n) {
            float[] pad = PAD.get();
            fillPad(pad, in, full, n - full, 0f);
            System.arraycopy(shift, full, pad, W, n - full);
            Arrays.fill(pad, W + n - full, 2 * W, 0f);
            expShiftedTail(pad, scale);
            System.arraycopy(pad, 0, out, outOffset + full, n - full);
        }
    }

    private static void expShiftedRange(float[] in, float[] shift, float scale, float[] out, int outOffset, int count) {
        for (int i = 0; i < count; i += W) {
            exp(FloatVector.fromArray(SPECIES, in, i).sub(FloatVector.fromArray(SPECIES, shift, i)).mul(scale))
                    .intoArray(out, outOffset + i);
        }
    }

    /** pad[0, W) = exp((pad[0, W) − pad[W, 2W))·scale). */
    private static void expShiftedTail(float[] pad, float scale) {
        exp(FloatVector.fromArray(SPECIES, pad, 0).sub(FloatVector.fromArray(SPECIES, pad, W)).mul(scale))
                .intoArray(pad, 0);
    }

    private static void expRange(float[] in, int inOff, float shift, float scale, float[] out, int outOff, int count) {
        for (int i = 0; i < count; i += W) {
            exp(FloatVector.fromArray(SPECIES, in, inOff + i).sub(shift).mul(scale)).intoArray(out, outOff + i);
        }
    }

    private static final ThreadLocal<float[]> PAD = ThreadLocal.withInitial(() -> new float[2 * W]);

    /** Copies a tail of fewer than W values to the front of {@code pad} and fills the rest of the vector. */
    private static void fillPad(float[] pad, float[] in, int offset, int count, float fill) {
        System.arraycopy(in, offset, pad, 0, count);
        Arrays.fill(pad, count, W, fill);
    }

    /** x·Φ(x) = ½·x·(1 + erf(x/√2)). */
    private static FloatVector geluOf(FloatVector x) {
        return x.mul(0.5f).mul(erf(x.mul(INV_SQRT2)).add(1f));
    }

    /**
     * erf(u) = u·P(u²)/Q(u²) on |u| ≤ 4 (u clamped there: erf(4) is 1 − 1.5e-8), P of degree 6 and Q of degree 4 with
     * Q(0) = 1: a least-squares fit reweighted toward minimax (absolute error 5.7e-8 in exact arithmetic, 4.2e-7 at
     * most evaluated in float — within a few ulp of the result). No exp and no branch: half the operations of
     * {@link Gelu#erf}'s form, which dominated the Transformer's element-wise time.
     */
    static FloatVector erf(FloatVector u) {
        FloatVector v = u.max(-4f).min(4f);
        FloatVector s = v.mul(v);
        FloatVector p = FloatVector.broadcast(SPECIES, ERF_P6);
        p = p.fma(s, FloatVector.broadcast(SPECIES, ERF_P5));
        p = p.fma(s, FloatVector.broadcast(SPECIES, ERF_P4));
        p = p.fma(s, FloatVector.broadcast(SPECIES, ERF_P3));
        p = p.fma(s, FloatVector.broadcast(SPECIES, ERF_P2));
        p = p.fma(s, FloatVector.broadcast(SPECIES, ERF_P1));
        p = p.fma(s, FloatVector.broadcast(SPECIES, ERF_P0));
        FloatVector q = FloatVector.broadcast(SPECIES, ERF_Q4);
        q = q.fma(s, FloatVector.broadcast(SPECIES, ERF_Q3));
        q = q.fma(s, FloatVector.broadcast(SPECIES, ERF_Q2));
        q = q.fma(s, FloatVector.broadcast(SPECIES, ERF_Q1));
        q = q.fma(s, FloatVector.broadcast(SPECIES, 1f));
        return v.mul(p).div(q);
    }

    private static final float ERF_P0 = 1.1283786843193835f;
    private static final float ERF_P1 = 2.1399228229763803e-01f;
    private static final float ERF_P2 = 5.2440948283417721e-02f;
    private static final float ERF_P3 = 4.2951294612554548e-03f;
    private static final float ERF_P4 = 1.5558137796398104e-04f;
    private static final float ERF_P5 = -1.9904437269290758e-06f;
    private static final float ERF_P6 = 1.9215551438246950e-08f;
    private static final float ERF_Q1 = 0.5229734333518544f;
    private static final float ERF_Q2 = 0.12082020854085064f;
    private static final float ERF_Q3 = 0.0155556678105329f;
    private static final float ERF_Q4 = 0.00109851249757336f;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2²³: adding and subtracting it rounds a float of magnitude below 2²² to the nearest integer. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    /**
     * e^x lane-wise from exactly rounded operations only (relative error about 2e-7): x = k·ln2 + r with |r| ≤ ln2/2,
     * e^r by its Taylor polynomial to r⁷, 2^k from the exponent bits. The Vector API's own EXP is faster but gives
     * different last bits compiled (SVML) and interpreted, which would make results depend on the JIT's progress.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(-87f).min(88f);
        FloatVector y = v.mul(LOG2E).add(ROUND);
        FloatVector k = y.sub(ROUND);
        FloatVector r = k.fma(FloatVector.broadcast(SPECIES, -LN2_HI), v);
        r = k.fma(FloatVector.broadcast(SPECIES, -LN2_LO), r);
        // straight-line Horner: a vector carried through a loop can defeat C2's box elimination (allocation)
        FloatVector p = FloatVector.broadcast(SPECIES, 1f / 5040);
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 720));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 120));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 24));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 6));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 0.5f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f));
        // y = 1.5·2²³ + k holds k in its low mantissa bits: no float-to-int conversion (not intrinsified on JDK 17)
        IntVector bits = y.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }
}
