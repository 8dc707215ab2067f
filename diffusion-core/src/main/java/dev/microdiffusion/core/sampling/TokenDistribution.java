package dev.microdiffusion.core.sampling;

import dev.microdiffusion.core.ConfidenceMeasure;
import dev.microdiffusion.core.SamplingOptions;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.math.Softmax;
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
    private final double[] p;
    private final float[] exps;
    private final int[] order;

    public TokenDistribution(int vocabSize, int maskId) {
        this.vocab = vocabSize;
        this.maskId = maskId;
        this.p = new double[vocabSize];
        this.exps = new float[vocabSize];
        this.order = new int[vocabSize];
    }

    /** The probabilities of the last {@link #set} (valid until the next). */
    public double[] probabilities() {
        return p;
    }

    /** Computes the distribution of the logits row at {@code offset}. */
    public void set(float[] logits, int offset, SamplingOptions options) {
        set(logits, offset, options, -1);
    }

    /**
     * As {@link #set(float[], int, SamplingOptions)}, with the share of {@code forbidden} (an id, or −1 for none) moved
     * to the other tokens too (a template's exact length forbids PAD).
     */
    public void set(float[] logits, int offset, SamplingOptions options, int forbidden) {
        Softmax.probabilities(kernel, logits, offset, vocab, options.temperature(), exps, p);
        int excludedMask = options.emitMask() ? -1 : maskId;
        if (excludedMask >= 0 || forbidden >= 0) {
            exclude(logits, offset, excludedMask, forbidden);
        }
        if (options.topK() > 0 && options.topK() < vocab) {
            keepTopK(options.topK());
        }
        if (options.topP() < 1.0) {
            keepTopP(options.topP());
        }
    }

    private void exclude(float[] logits, int offset, int first, int second) {
        if (first >= 0) {
            p[first] = 0;
        }
        if (second >= 0) {
            p[second] = 0;
        }
        double rest = sum();
        if (rest > 1e-12) {
            scale(1.0 / rest);
            return;
        }
        // the excluded ids took (almost) all the mass: the most likely other token, so a real one is still drawn
        int best = -1;
        for (int i = 0; i < vocab; i++) {
            if (i != first && i != second && (best < 0 || logits[offset + i] > logits[offset + best])) {
                best = i;
            }
        }
        java.util.Arrays.fill(p, 0);
        p[best] = 1;
    }

    /** Zeroes all but the k largest (ties to the lower id). */
    private void keepTopK(int k) {
        int kept = sortDescending(k);
        for (int j = kept; j < vocab; j++) {
            p[order[j]] = 0;
        }
        scale(1.0 / sum());
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
        scale(1.0 / sum());
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

    private double sum() {
        double s = 0;
        for (int i = 0; i < vocab; i++) {
            s += p[i];
        }
        return s;
    }

    private void scale(double factor) {
        for (int i = 0; i < vocab; i++) {
            p[i] *= factor;
        }
    }

    /** A token drawn from the distribution (inverse CDF, one uniform). */
    public int draw(UniformRandomProvider random) {
        return Draw.categorical(p, vocab, random);
    }

    /** The confidence of {@code drawn} under the distribution. */
    public double confidence(ConfidenceMeasure measure, int drawn) {
        switch (measure) {
            case MAX_PROBABILITY: {
                double top = 0;
                for (int i = 0; i < vocab; i++) {
                    top = Math.max(top, p[i]);
                }
                return top;
            }
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
