package dev.microdiffusion.core.math;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector kernel's matrix products (see {@link VectorMatrixKernel}).
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
final class VectorProducts {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int W = SPECIES.length();

    private VectorProducts() {
    }

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);
    /** multiply's padded tail of B [k × W] and of eight rows of C [8 × W]. */
    private static final ThreadLocal<float[][]> TAIL = ThreadLocal.withInitial(() -> new float[][] {new float[0],
        new float[8 * W]});

    static void multiply(float[] a, float[] b, float[] c, int m, int k, int n) {
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

    static void multiplyTransposeAAdd(float[] a, float[] b, float[] c, int m, int k, int n) {
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

    static void multiplyTransposeB(float[] a, float[] b, float[] c, int m, int k, int n) {
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
}
