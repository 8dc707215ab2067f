package dev.microdiffusion.core.internal.sampling;

import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.sampling.ConfidenceMeasure;
import dev.microdiffusion.core.sampling.SamplingOptions;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The distribution a sampler draws one position's token from: softmax(logits / τ) in double, MASK's share removed
 * unless {@link SamplingOptions#emitMask()}, then top-k and top-p, renormalised. Buffers are made once per
 * vocabulary size; not thread-safe.
 */
public final class TokenDistribution {

    private final MatrixKernel kernel = MatrixKernels.preferred();
    private final int vocab;
    private final int maskId;
    /** PAD's id, for {@link SamplingOptions#keepLengths()}; −1 when the vocabulary has none. */
    private final int padId;
    private final double[] p;
    private final float[] exps;
    private final float[] untempered;
    private final int[] order;
    /** The largest probability of the current distribution. */
    private double top;

    public TokenDistribution(int vocabSize, int maskId) {
        this(vocabSize, maskId, -1);
    }

    /** A distribution whose temperature can leave PAD's probability at τ = 1 ({@link SamplingOptions#keepLengths()}). */
    public TokenDistribution(int vocabSize, int maskId, int padId) {
        this.vocab = vocabSize;
        this.maskId = maskId;
        this.padId = padId;
        this.p = new double[vocabSize];
        this.exps = new float[vocabSize];
        this.untempered = new float[vocabSize];
        this.order = new int[vocabSize];
    }

    /** The probabilities of the last {@link #set} (valid until the next). */
    public double[] probabilities() {
        return p;
    }

    /** Computes the distribution of the logits row at {@code offset}. */
    public void set(float[] logits, int offset, SamplingOptions options) {
        set(logits, offset, options, -1, null);
    }

    /**
     * As {@link #set(float[], int, SamplingOptions)}, with the share of {@code forbidden} (an id, or −1 for none) moved
     * to the other tokens too (a template's exact length forbids PAD), and, when {@code allowed} is not null, the
     * share of every id it does not allow (a template's set): those are out of the distribution before any draw.
     */
    public void set(float[] logits, int offset, SamplingOptions options, int forbidden, boolean[] allowed) {
        int excludedMask = options.emitMask() ? -1 : maskId;
        // one pass for the numerators, one to normalise: the excluded ids' numerators are left out of the sum, so
        // removing them costs no extra pass (the hot loop of every sampler runs this at each open position)
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = kernel.exp(logits, offset, max, (float) (1.0 / options.temperature()), exps, 0, vocab);
        if (excludedMask >= 0) {
            sum -= exps[excludedMask];
            exps[excludedMask] = 0f;
        }
        if (forbidden >= 0 && forbidden != excludedMask) {
            sum -= exps[forbidden];
            exps[forbidden] = 0f;
        }
        if (allowed != null) {
            for (int i = 0; i < vocab; i++) {
                if (!allowed[i] && exps[i] != 0f) {
                    sum -= exps[i];
                    exps[i] = 0f;
                }
            }
        }
        double padShare = padId >= 0 && options.keepLengths() && options.temperature() != 1.0 && exps[padId] != 0f
                ? untemperedShare(logits, offset, max, padId, excludedMask, forbidden, allowed) : -1;
        double characters = padShare >= 0 ? sum - exps[padId] : 0;
        if (padShare >= 0 && characters > 1e-30) {
            // PAD at its τ = 1 probability; the other tokens share the rest in their tempered proportions
            double inv = (1 - padShare) / characters;
            double best = 0;
            for (int i = 0; i < vocab; i++) {
                double v = i == padId ? padShare : exps[i] * inv;
                p[i] = v;
                best = Math.max(best, v);
            }
            top = best;
        } else if (!(sum > 1e-30)) {
            onlyBest(logits, offset, excludedMask, forbidden, allowed);
        } else {
            double inv = 1.0 / sum;
            double best = 0;
            for (int i = 0; i < vocab; i++) {
                double v = exps[i] * inv;
                p[i] = v;
                best = Math.max(best, v);
            }
            top = best;
        }
        if (options.topK() > 0 && options.topK() < vocab) {
            keepTopK(options.topK());
        }
        if (options.topP() < 1.0) {
            keepTopP(options.topP());
        }
    }

    /** The probability of {@code id} at τ = 1 among the ids not excluded. */
    private double untemperedShare(float[] logits, int offset, float max, int id, int excludedMask, int forbidden,
            boolean[] allowed) {
        double sum = kernel.exp(logits, offset, max, 1f, untempered, 0, vocab);
        for (int i = 0; i < vocab; i++) {
            if (i == excludedMask || i == forbidden || (allowed != null && !allowed[i])) {
                sum -= untempered[i];
            }
        }
        return sum > 1e-30 ? Math.min(1.0, untempered[id] / sum) : -1;
    }

    /** The excluded ids took (almost) all the mass: the most likely other token, so a real one is still drawn. */
    private void onlyBest(float[] logits, int offset, int first, int second, boolean[] allowed) {
        int best = -1;
        for (int i = 0; i < vocab; i++) {
            boolean possible = i != first && i != second && (allowed == null || allowed[i]);
            if (possible && (best < 0 || logits[offset + i] > logits[offset + best])) {
                best = i;
            }
        }
        Arrays.fill(p, 0);
        p[best] = 1;
        top = 1;
    }

    /** Zeroes all but the k largest (ties to the lower id). */
    private void keepTopK(int k) {
        int kept = sortDescending(k);
        for (int j = kept; j < vocab; j++) {
            p[order[j]] = 0;
        }
        renormalise();
    }

    /** Keeps the most likely tokens until their mass reaches q (at least one), zeroes the rest. */
    private void keepTopP(double q) {
        int n = sortDescending(vocab);
        double mass = 0;
        int kept = 0;
        while (kept < n) {
            mass += p[order[kept++]];
            if (mass >= q) {
                break;
            }
        }
        for (int j = kept; j < vocab; j++) {
            p[order[j]] = 0;
        }
        renormalise();
    }

    /**
     * Puts in {@code order[0 .. limit)} the ids of the {@code limit} largest probabilities, largest first (ties to the
     * lower id), and the other ids after them. A selection of {@code limit} by insertion: O(V·limit), no boxing.
     *
     * @return how many ids have a non-zero probability among the first {@code limit}
     */
    private int sortDescending(int limit) {
        int size = 0;
        int rest = vocab;
        for (int i = 0; i < vocab; i++) {
            double v = p[i];
            if (size < limit && v > 0) {
                int j = size++;
                while (j > 0 && p[order[j - 1]] < v) {
                    order[j] = order[j - 1];
                    j--;
                }
                order[j] = i;
            } else if (v > 0 && p[order[size - 1]] < v) {
                order[--rest] = order[size - 1];
                int j = size - 1;
                while (j > 0 && p[order[j - 1]] < v) {
                    order[j] = order[j - 1];
                    j--;
                }
                order[j] = i;
            } else {
                order[--rest] = i;
            }
        }
        return size;
    }

    private void renormalise() {
        double s = 0;
        for (int i = 0; i < vocab; i++) {
            s += p[i];
        }
        double inv = 1.0 / s;
        double best = 0;
        for (int i = 0; i < vocab; i++) {
            p[i] *= inv;
            best = Math.max(best, p[i]);
        }
        top = best;
    }

    /** A token drawn from the distribution (inverse CDF, one uniform). */
    public int draw(UniformRandomProvider random) {
        return Draw.categorical(p, vocab, random);
    }

    /** The confidence of {@code drawn} under the distribution. */
    public double confidence(ConfidenceMeasure measure, int drawn) {
        switch (measure) {
            case MAX_PROBABILITY:
                return top;
            case DRAWN_PROBABILITY:
                return p[drawn];
            case MARGIN: {
                double first = 0;
                double second = 0;
                for (int i = 0; i < vocab; i++) {
                    double v = p[i];
                    if (v > first) {
                        second = first;
                        first = v;
                    } else if (v > second) {
                        second = v;
                    }
                }
                return first - second;
            }
            case NEGATIVE_ENTROPY: {
                double s = 0;
                for (int i = 0; i < vocab; i++) {
                    if (p[i] > 0) {
                        s += p[i] * Math.log(p[i]);
                    }
                }
                return s;
            }
            default:
                throw new AssertionError(measure);
        }
    }
}
