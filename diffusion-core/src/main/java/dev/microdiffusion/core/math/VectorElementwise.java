package dev.microdiffusion.core.math;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector kernel's element-wise operations: RMSNorm and its backward, axpy, GELU and its derivative, and the
 * exponentials of softmax rows, with the vector erf and exp they are made of (see {@link VectorMatrixKernel}).
 */
final class VectorElementwise {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int W = SPECIES.length();
    private static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));
    private static final float INV_SQRT_2PI = (float) (1.0 / Math.sqrt(2.0 * Math.PI));

    private VectorElementwise() {
    }

    // The element-wise methods run a range method over whole vectors of the array, then over the tail copied into a
    // padded scratch. No vector value crosses a branch or a call: C2 (JDK 17) boxes a vector merged at a branch or
    // passed to a method it did not inline, which allocates on every call.

    static void rmsNorm(float[] x, float[] scale, float[] y, float[] r, int rows, int d, float epsilon) {
        if (d % W != 0) {
            ScalarKernel.rmsNorm(x, scale, y, r, rows, d, epsilon);
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

    static void rmsNormBackward(float[] dy, float[] x, float[] scale, float[] r, float[] dx, float[] dScale, int rows,
            int d) {
        if (d % W != 0) {
            ScalarKernel.rmsNormBackward(dy, x, scale, r, dx, dScale, rows, d);
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

    static void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int n) {
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

    static void gelu(float[] in, float[] out, int n) {
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

    static void geluBackward(float[] in, float[] dOut, float[] dIn, int n) {
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

    static double exp(float[] in, int inOffset, float shift, float scale, float[] out, int outOffset, int n) {
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

    static void expShifted(float[] in, float[] shift, float scale, float[] out, int outOffset, int n) {
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
