package dev.microdiffusion.core.spi;

import org.apache.commons.rng.UniformRandomProvider;

/**
 * The forward (noising) process q(x_t | x_0): every token, PAD included as in the reference, is replaced by MASK
 * independently with probability rate(t).
 */
public final class ForwardProcess {

    private final NoiseSchedule schedule;
    private final int maskId;

    /**
     * The forward process of a schedule, masking with {@code maskId}.
     *
     * @param schedule the noise schedule
     * @param maskId the MASK id
     */
    public ForwardProcess(NoiseSchedule schedule, int maskId) {
        this.schedule = schedule;
        this.maskId = maskId;
    }

    /** {@return the noise schedule} */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /**
     * Writes x_t for {@code count} tokens of {@code clean} (from {@code offset}) into {@code noisy} at the same
     * indices.
     *
     * @param clean the clean ids
     * @param noisy receives x_t
     * @param offset the first index
     * @param count how many ids
     * @param t the diffusion time
     * @param random the masks' draws
     * @return how many tokens were masked
     */
    public int mask(int[] clean, int[] noisy, int offset, int count, double t, UniformRandomProvider random) {
        return maskWithRate(clean, noisy, offset, count, schedule.rate(t), random);
    }

    /**
     * As {@link #mask} with the rate given directly.
     *
     * @param clean the clean ids
     * @param noisy receives x_t
     * @param offset the first index
     * @param count how many ids
     * @param rate the share to mask, in [0, 1]
     * @param random the masks' draws
     * @return how many tokens were masked
     */
    public int maskWithRate(int[] clean, int[] noisy, int offset, int count, double rate, UniformRandomProvider random) {
        int masked = 0;
        for (int i = offset, end = offset + count; i < end; i++) {
            if (random.nextDouble() < rate) {
                noisy[i] = maskId;
                masked++;
            } else {
                noisy[i] = clean[i];
            }
        }
        return masked;
    }
}
