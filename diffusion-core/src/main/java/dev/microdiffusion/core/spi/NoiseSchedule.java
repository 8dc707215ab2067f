package dev.microdiffusion.core.spi;

import java.util.Map;

/**
 * The forward process's mask rate: at time t in [0, 1] each token is masked independently with probability
 * {@code rate(t)}; {@code alpha(t) = 1 − rate(t)} is the probability it is still clean. rate(0) ≈ 0, rate(1) = 1.
 * A discrete process with T steps uses the grid t_k = k / T.
 */
public interface NoiseSchedule {

    /** {@return the provider name that rebuilds this schedule} */
    String name();

    /**
     * Probability that a token is masked at time t.
     *
     * @param t the time, in [0, 1]
     * @return rate(t)
     */
    double rate(double t);

    /**
     * d rate / dt, for continuous-time objectives.
     *
     * @param t the time, in [0, 1]
     * @return rate′(t)
     */
    double rateDerivative(double t);

    /**
     * {@return α(t) = 1 − rate(t), the probability that a token is still clean at time t}
     *
     * @param t the time, in [0, 1]
     */
    default double alpha(double t) {
        return 1.0 - rate(t);
    }

    /**
     * {@return the settings that, with {@link #name()}, rebuild this schedule through {@link
     * NoiseScheduleProvider#create(Map)} (saved in checkpoints); empty when it has none}
     */
    default Map<String, String> parameters() {
        return Map.of();
    }

    /**
     * {@return the time t in (0, 1] at which the schedule masks {@code share} of the tokens, rate(t) = share, by
     * bisection (for a rate that grows with t; the smallest such t to 2⁻⁶⁴)}
     *
     * @param share the masked share, in [0, 1]
     */
    default double timeOfRate(double share) {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 64; i++) {
            double mid = 0.5 * (lo + hi);
            if (rate(mid) < share) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /**
     * {@return the rate at step k of a T-step grid}
     *
     * @param k the step, 0 … T
     * @param steps T
     */
    default double rate(int k, int steps) {
        return rate((double) k / steps);
    }
}
