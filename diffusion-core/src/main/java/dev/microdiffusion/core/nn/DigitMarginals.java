package dev.microdiffusion.core.nn;

import java.util.Arrays;

/**
 * Partial masking's output layer (MDM-Prime, arXiv 2505.18495): from logits over a character's b<sup>ℓ</sup> codes,
 * each digit's log-probability given the digits of that character already known. A code is written in ℓ digits of
 * base b, most significant first (as the digit tokenizers write it); the known digits leave the codes that agree with
 * them, the softmax is taken over those alone, and a masked digit's probability of d is the mass of the agreeing codes
 * whose digit is d:
 *
 * <pre>
 *   p(c)       = exp(z_c) / Σ_{c' agrees} exp(z_c')           for codes c that agree with the known digits, else 0
 *   m_j(d)     = Σ_{c: digit_j(c) = d} p(c)                   masked digit j
 *   out[j, d]  = log m_j(d);  out[j, MASK] = IMPOSSIBLE
 *   known digit j: out[j, d] = 0 for its own digit, IMPOSSIBLE for the others and MASK (it copies itself)
 * </pre>
 *
 * The outputs are rows of logits over b digits and MASK, one per digit, that a diffusion objective reads as it reads
 * a token's: a masked digit's cross-entropy is −log m_j(x_j), and the continuous-time bound summed over masked digits
 * is a bound on the characters' likelihood (each digit's marginal, not the character's joint probability, is what
 * the reverse process that reveals one digit at a time uses). Backward:
 *
 * <pre>
 *   dL/dz_c = p(c) · Σ_{j masked} ( g_j(digit_j(c)) / m_j(digit_j(c)) − Σ_d g_j(d) ),   g = dL/dout
 * </pre>
 *
 * The probabilities are kept in double: a code's share can be far below float's range without its digit's being so.
 */
public final class DigitMarginals {

    /** The logit of what cannot be: a digit other than a known one, and MASK. */
    public static final float IMPOSSIBLE = -1e4f;

    private final int base;
    private final int digits;
    private final int codes;
    /** [codes × digits]: digit j of code c, most significant first. */
    private final int[] digitOf;

    /**
     * @param base   b, at least 2
     * @param digits ℓ, at least 1, with b<sup>ℓ</sup> at most 2<sup>16</sup>
     */
    public DigitMarginals(int base, int digits) {
        if (base < 2 || digits < 1 || Math.pow(base, digits) > 1 << 16) {
            throw new IllegalArgumentException("digits of base ≥ 2, at least one, and at most 65,536 codes: got base "
                    + base + ", " + digits + " digits");
        }
        this.base = base;
        this.digits = digits;
        int n = 1;
        for (int j = 0; j < digits; j++) {
            n *= base;
        }
        this.codes = n;
        this.digitOf = new int[codes * digits];
        for (int c = 0; c < codes; c++) {
            int rest = c;
            for (int j = digits - 1; j >= 0; j--) {
                digitOf[c * digits + j] = rest % base;
                rest /= base;
            }
        }
    }

    /** {@return b<sup>ℓ</sup>, the codes a character's logits range over} */
    public int codes() {
        return codes;
    }

    /** {@return b + 1: the outputs per digit, the b digits and MASK (id b)} */
    public int outputs() {
        return base + 1;
    }

    /** One batch's probabilities and known digits, kept for backward. */
    public final class Activations {
        private final double[] probabilities;
        private final double[] marginals;
        private final boolean[] masked;

        private Activations(int maxCharacters) {
            probabilities = new double[maxCharacters * codes];
            marginals = new double[maxCharacters * digits * base];
            masked = new boolean[maxCharacters * digits];
        }
    }

    /**
     * Buffers for up to {@code maxCharacters} characters at a time; one per pass.
     *
     * @param maxCharacters the most characters (rows × positions) of a batch
     * @return the buffers
     */
    public Activations newActivations(int maxCharacters) {
        return new Activations(maxCharacters);
    }

    /**
     * The digits' log-probabilities of {@code characters} characters.
     *
     * @param codeLogits [characters, codes]
     * @param ids        [characters × ℓ] digit ids, MASK = b where a digit is masked
     * @param characters how many
     * @param out        receives [characters × ℓ, b + 1]
     * @param a          the buffers, kept for {@link #backward}
     * @throws IllegalArgumentException if an id is not a digit or MASK
     */
    public void forward(float[] codeLogits, int[] ids, int characters, float[] out, Activations a) {
        int width = base + 1;
        for (int n = 0; n < characters; n++) {
            int at = n * digits;
            for (int j = 0; j < digits; j++) {
                int id = ids[at + j];
                if (id < 0 || id > base) {
                    throw new IllegalArgumentException("id " + id + " is neither a digit of base " + base + " nor MASK");
                }
                a.masked[at + j] = id == base;
            }
            int z = n * codes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < codes; c++) {
                if (agrees(c, ids, at)) {
                    max = Math.max(max, codeLogits[z + c]);
                }
            }
            double sum = 0;
            for (int c = 0; c < codes; c++) {
                double e = agrees(c, ids, at) ? Math.exp(codeLogits[z + c] - max) : 0;
                a.probabilities[z + c] = e;
                sum += e;
            }
            int m = n * digits * base;
            Arrays.fill(a.marginals, m, m + digits * base, 0.0);
            for (int c = 0; c < codes; c++) {
                double p = a.probabilities[z + c] / sum;
                a.probabilities[z + c] = p;
                if (p != 0) {
                    for (int j = 0; j < digits; j++) {
                        a.marginals[m + j * base + digitOf[c * digits + j]] += p;
                    }
                }
            }
            for (int j = 0; j < digits; j++) {
                int o = (at + j) * width;
                if (a.masked[at + j]) {
                    for (int d = 0; d < base; d++) {
                        double share = a.marginals[m + j * base + d];
                        out[o + d] = share > 0 ? (float) Math.log(share) : IMPOSSIBLE;
                    }
                } else {
                    for (int d = 0; d < base; d++) {
                        out[o + d] = d == ids[at + j] ? 0f : IMPOSSIBLE;
                    }
                }
                out[o + base] = IMPOSSIBLE;
            }
        }
    }

    private boolean agrees(int code, int[] ids, int at) {
        for (int j = 0; j < digits; j++) {
            int id = ids[at + j];
            if (id != base && id != digitOf[code * digits + j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * dL/d(code logits) from dL/d(out); a known digit's outputs and every MASK output are constants, and pass nothing
     * back.
     *
     * @param dOut        [characters × ℓ, b + 1]
     * @param a           the buffers the forward filled
     * @param characters  how many
     * @param dCodeLogits receives [characters, codes]
     */
    public void backward(float[] dOut, Activations a, int characters, float[] dCodeLogits) {
        int width = base + 1;
        for (int n = 0; n < characters; n++) {
            int at = n * digits;
            int z = n * codes;
            int m = n * digits * base;
            double spread = 0;
            for (int j = 0; j < digits; j++) {
                if (a.masked[at + j]) {
                    for (int d = 0; d < base; d++) {
                        spread += dOut[(at + j) * width + d];
                    }
                }
            }
            for (int c = 0; c < codes; c++) {
                double p = a.probabilities[z + c];
                if (p == 0) {
                    dCodeLogits[z + c] = 0f;
                    continue;
                }
                double sum = -spread;
                for (int j = 0; j < digits; j++) {
                    if (a.masked[at + j]) {
                        int d = digitOf[c * digits + j];
                        sum += dOut[(at + j) * width + d] / a.marginals[m + j * base + d];
                    }
                }
                dCodeLogits[z + c] = (float) (p * sum);
            }
        }
    }
}
