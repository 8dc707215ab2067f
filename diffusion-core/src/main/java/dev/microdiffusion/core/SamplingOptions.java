package dev.microdiffusion.core;

/**
 * How to sample.
 *
 * @param steps       number of reverse steps T (grid t_k = k / T)
 * @param temperature logits are divided by it before the softmax; below 1 sharpens, above 1 flattens
 */
public record SamplingOptions(int steps, double temperature) {

    public SamplingOptions {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
    }
}
