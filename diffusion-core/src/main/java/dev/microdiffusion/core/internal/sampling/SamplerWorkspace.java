package dev.microdiffusion.core.internal.sampling;

import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.spi.Denoiser;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * What the samplers of this package share: which rows still have open positions, one model call on just the rows
 * that need it, and a token and confidence drawn at an open position. Buffers grow to the largest canvas seen and are
 * then reused, so a sampling step allocates nothing.
 *
 * <p>A row's logits do not depend on the other rows in a call, so leaving rows out changes no result. With
 * {@code reuse}, a row whose tokens have not changed since its last call is not sent again and its last logits are
 * used: exact for a denoiser that ignores t, and the approximation MDLM's cached sampler makes for one that does not.
 */
public final class SamplerWorkspace {

    private int[] rows = new int[0];
    /** The rows a call serves, each with its row (slot) in the call; identical rows share a slot. */
    private int[] callRows = new int[0];
    private int[] callSlots = new int[0];
    private int[] callHashes = new int[0];
    private int[] callTokens = new int[0];
    private float[] times = new float[0];
    /** Each canvas row's time for the next call. */
    private float[] rowTimes = new float[0];
    private int[] callLabels = new int[0];
    /** The guidance of the current run: with a labelled canvas and γ > 0 every call also holds unconditional rows. */
    private double guidance;
    private float[] callLogits = new float[0];
    // logits by canvas row when reusing; otherwise a view of callLogits through rowBase
    private float[] cache = new float[0];
    private int[] cachedTokens = new int[0];
    private boolean[] cached = new boolean[0];
    private int[] rowBase = new int[0];
    private float[] rowLogits = callLogits;
    private TokenDistribution distribution;
    private int distributionVocab = -1;
    private int distributionMask = -1;
    private int distributionPad = -1;
    private double lastConfidence;
    private int modelCalls;
    private int modelRows;

    /** Readies the buffers for a canvas and forgets cached logits; call at the start of every sampling run. */
    public void begin(Canvas canvas) {
        begin(canvas, 0);
    }

    /** As {@link #begin(Canvas, double)}, first checking that the pass holds the canvas's rows. */
    public void begin(Canvas canvas, Denoiser.Pass pass, double guidance) {
        if (canvas.rows() > pass.maxBatch()) {
            throw new IllegalArgumentException("canvas has " + canvas.rows() + " rows, the pass only " + pass.maxBatch());
        }
        begin(canvas, guidance);
    }

    /**
     * As {@link #begin(Canvas)}, with classifier-free guidance γ for a labelled canvas: each model call then holds
     * the rows a second time without their label, and the logits drawn from are (1 + γ)·log p(x | label) −
     * γ·log p(x).
     */
    public void begin(Canvas canvas, double guidance) {
        this.guidance = canvas.label() >= 0 ? guidance : 0;
        int capacity = canvas.capacity() * (this.guidance > 0 ? 2 : 1);
        int cells = capacity * canvas.length();
        int logitsSize = cells * canvas.vocabSize();
        if (rows.length < capacity) {
            rows = new int[capacity];
            callRows = new int[capacity];
            callSlots = new int[capacity];
            callHashes = new int[capacity];
            times = new float[capacity];
            rowTimes = new float[capacity];
            callLabels = new int[capacity];
            cached = new boolean[capacity];
            rowBase = new int[capacity];
        }
        if (callTokens.length < cells) {
            callTokens = new int[cells];
            cachedTokens = new int[cells];
        }
        if (callLogits.length < logitsSize) {
            callLogits = new float[logitsSize];
        }
        if (distributionVocab != canvas.vocabSize() || distributionMask != canvas.maskId()
                || distributionPad != canvas.padId()) {
            distribution = new TokenDistribution(canvas.vocabSize(), canvas.maskId(), canvas.padId());
            distributionVocab = canvas.vocabSize();
            distributionMask = canvas.maskId();
            distributionPad = canvas.padId();
        }
        Arrays.fill(cached, false);
        modelCalls = 0;
        modelRows = 0;
    }

    /** Lists the rows with an open position (in row order) and returns how many; see {@link #row(int)}. */
    public int openRows(Canvas canvas) {
        int live = 0;
        for (int r = 0; r < canvas.rows(); r++) {
            for (int i = canvas.windowStart(); i < canvas.windowEnd(); i++) {
                if (canvas.isOpen(r, i)) {
                    rows[live++] = r;
                    break;
                }
            }
        }
        return live;
    }

    /** The a-th row listed by the last {@link #openRows}. */
    public int row(int a) {
        return rows[a];
    }

    /** The rows listed by the last {@link #openRows} (the first {@code count} entries). */
    public int[] rows() {
        return rows;
    }

    /**
     * Makes the logits of {@code count} canvas rows {@code which[0 .. count)} available to {@link #draw}, calling
     * the model at time t on those that need it (all of them unless {@code reuse}). Rows with the same tokens share
     * one row of the call: every row starts as all MASK, and confidence-ordered samplers reveal the same PADs on many
     * rows first, so early calls hold few distinct rows.
     */
    public void evaluate(Canvas canvas, Denoiser.Pass pass, double t, int[] which, int count, boolean reuse) {
        for (int a = 0; a < count; a++) {
            rowTimes[which[a]] = (float) t;
        }
        evaluate(canvas, pass, which, count, reuse);
    }

    /**
     * Each canvas row's time for the next {@link #evaluate(Canvas, Denoiser.Pass, int[], int, boolean)}, by row
     * (filled by the caller; rows at different times never share a slot of a call).
     */
    public float[] rowTimes() {
        return rowTimes;
    }

    /** As {@link #evaluate(Canvas, Denoiser.Pass, double, int[], int, boolean)} with each row at its own time. */
    public void evaluate(Canvas canvas, Denoiser.Pass pass, int[] which, int count, boolean reuse) {
        boolean guided = guidance > 0;
        if (count * (guided ? 2 : 1) > pass.maxBatch()) {
            throw new IllegalArgumentException(count + " rows to evaluate" + (guided ? ", twice with guidance," : "")
                    + " and the pass holds only " + pass.maxBatch());
        }
        int length = canvas.length();
        int rowSize = length * canvas.vocabSize();
        int[] tokens = canvas.tokens();
        int calls = 0;
        int needed = 0;
        for (int a = 0; a < count; a++) {
            int r = which[a];
            if (reuse && cached[r] && Arrays.equals(tokens, r * length, (r + 1) * length,
                    cachedTokens, r * length, (r + 1) * length)) {
                continue;
            }
            int hash = rowHash(tokens, r * length, length);
            int slot = -1;
            for (int c = 0; c < calls && slot < 0; c++) {
                if (callHashes[c] == hash && times[c] == rowTimes[r] && Arrays.equals(tokens, r * length, (r + 1) * length,
                        callTokens, c * length, (c + 1) * length)) {
                    slot = c;
                }
            }
            if (slot < 0) {
                System.arraycopy(tokens, r * length, callTokens, calls * length, length);
                callHashes[calls] = hash;
                times[calls] = rowTimes[r];
                slot = calls++;
            }
            callRows[needed] = r;
            callSlots[needed++] = slot;
        }
        if (calls > 0) {
            int label = canvas.label();
            if (label < 0) {
                pass.forward(callTokens, times, calls, callLogits);
            } else if (!guided) {
                Arrays.fill(callLabels, 0, calls, label);
                pass.forward(callTokens, times, callLabels, calls, callLogits);
            } else {
                // the same rows again without their label, in the same call
                System.arraycopy(callTokens, 0, callTokens, calls * length, calls * length);
                System.arraycopy(times, 0, times, calls, calls);
                Arrays.fill(callLabels, 0, calls, label);
                Arrays.fill(callLabels, calls, 2 * calls, -1);
                pass.forward(callTokens, times, callLabels, 2 * calls, callLogits);
                guide(calls, length, canvas.vocabSize());
            }
            modelCalls++;
            modelRows += calls * (guided ? 2 : 1);
        }
        if (!reuse) {
            rowLogits = callLogits;
            for (int n = 0; n < needed; n++) {
                rowBase[callRows[n]] = callSlots[n] * rowSize;
            }
            return;
        }
        int cacheSize = canvas.capacity() * rowSize;
        if (cache.length < cacheSize) {
            cache = new float[cacheSize];
        }
        rowLogits = cache;
        for (int n = 0; n < needed; n++) {
            int r = callRows[n];
            System.arraycopy(callLogits, callSlots[n] * rowSize, cache, r * rowSize, rowSize);
            System.arraycopy(tokens, r * length, cachedTokens, r * length, length);
            cached[r] = true;
            rowBase[r] = r * rowSize;
        }
    }

    /**
     * Writes (1 + γ)·log_softmax(conditional) − γ·log_softmax(unconditional) over the conditional rows' logits,
     * position by position; the unconditional rows follow the {@code calls} conditional ones.
     */
    private void guide(int calls, int length, int vocab) {
        float[] z = callLogits;
        int unconditional = calls * length * vocab;
        for (int cell = 0, cells = calls * length; cell < cells; cell++) {
            int c = cell * vocab;
            int u = unconditional + c;
            double lseC = logSumExp(z, c, vocab);
            double lseU = logSumExp(z, u, vocab);
            for (int v = 0; v < vocab; v++) {
                z[c + v] = (float) ((1 + guidance) * (z[c + v] - lseC) - guidance * (z[u + v] - lseU));
            }
        }
    }

    private static double logSumExp(float[] z, int offset, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, z[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(z[offset + i] - max);
        }
        return max + Math.log(sum);
    }

    private static int rowHash(int[] tokens, int from, int length) {
        int h = 1;
        for (int i = from; i < from + length; i++) {
            h = 31 * h + tokens[i];
        }
        return h;
    }

    /**
     * Draws a token for position {@code i} of an evaluated row {@code row} from its {@link TokenDistribution};
     * {@link #lastConfidence()} then holds its confidence.
     */
    public int draw(Canvas canvas, int row, int i, SamplingOptions options, UniformRandomProvider random) {
        distribution.set(rowLogits, rowBase[row] + i * canvas.vocabSize(), options,
                i < canvas.noPadBefore() ? canvas.padId() : -1, canvas.allowed(i));
        int token = distribution.draw(random);
        lastConfidence = distribution.confidence(options.confidence(), token);
        return token;
    }

    /** The confidence of the last {@link #draw}. */
    public double lastConfidence() {
        return lastConfidence;
    }

    /** Model calls since {@link #begin} (for tests and reports). */
    public int modelCalls() {
        return modelCalls;
    }

    /** Rows sent to the model since {@link #begin}: distinct rows only, one per call. */
    public int modelRows() {
        return modelRows;
    }
}
