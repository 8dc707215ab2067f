package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.spi.Parameter;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Initial weights drawn from the generator a provider is given ({@link
 * dev.microdiffusion.core.spi.DenoiserProvider#create}): each call draws one value per entry, in entry order, so a
 * model that initialises its parameters in a fixed order is the same for the same seed.
 */
public final class Init {

    private final UniformRandomProvider random;
    private final ZigguratSampler.NormalizedGaussian gaussian;

    private Init(UniformRandomProvider random) {
        this.random = random;
        this.gaussian = ZigguratSampler.NormalizedGaussian.of(random);
    }

    /**
     * Initialisers drawing from {@code random}.
     *
     * @param random the generator
     * @return the initialisers
     */
    public static Init from(UniformRandomProvider random) {
        return new Init(random);
    }

    /**
     * N(0, std²) for every entry.
     *
     * @param p   the parameter
     * @param std the standard deviation
     */
    public void normal(Parameter p, double std) {
        float[] v = p.values();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian.sample() * std);
        }
    }

    /**
     * U(−bound, bound) for every entry (PyTorch's {@code nn.Linear} default with bound 1/√fan_in).
     *
     * @param p     the parameter
     * @param bound the half-width
     */
    public void uniform(Parameter p, double bound) {
        float[] v = p.values();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
    }

    /**
     * He (Kaiming) normal: N(0, 2/fan_in), for layers followed by a ReLU.
     *
     * @param p     the parameter
     * @param fanIn the inputs of one output
     */
    public void he(Parameter p, int fanIn) {
        normal(p, Math.sqrt(2.0 / fanIn));
    }

    /**
     * Xavier (Glorot) normal with gain √2: N(0, 2/(fan_in + fan_out)), as the reference's 3-layer MLP draws.
     *
     * @param p      the parameter
     * @param fanIn  the inputs of one output
     * @param fanOut the outputs of one input
     */
    public void xavier(Parameter p, int fanIn, int fanOut) {
        normal(p, Math.sqrt(2.0 / (fanIn + fanOut)));
    }

    /**
     * Every entry 0 (draws nothing).
     *
     * @param p the parameter
     */
    public static void zeros(Parameter p) {
        Arrays.fill(p.values(), 0f);
    }

    /**
     * Every entry 1, a norm's scale (draws nothing).
     *
     * @param p the parameter
     */
    public static void ones(Parameter p) {
        Arrays.fill(p.values(), 1f);
    }
}
