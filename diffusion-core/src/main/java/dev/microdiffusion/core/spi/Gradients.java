package dev.microdiffusion.core.spi;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a {@link Denoiser.Pass#backward backward pass} adds each parameter's gradient: a denoiser asks for the array
 * of a parameter it owns, by the parameter itself, and never counts indices.
 */
@FunctionalInterface
public interface Gradients {

    /** Each parameter's own {@link Parameter#gradient()}. */
    Gradients OWN = Parameter::gradient;

    /**
     * The array the gradient of {@code parameter} is added into: {@link Parameter#size()} values.
     *
     * @param parameter one of the model's parameters
     * @throws IllegalArgumentException if the parameter is not one of the model's
     * @return its gradient array
     */
    float[] of(Parameter parameter);

    /**
     * {@return one array per parameter, paired in order (a training shard's own buffers, say)}
     *
     * @param parameters the parameters, in order
     * @param arrays one array of {@link Parameter#size()} values per parameter
     */
    static Gradients of(List<Parameter> parameters, float[][] arrays) {
        if (parameters.size() != arrays.length) {
            throw new IllegalArgumentException(parameters.size() + " parameters, " + arrays.length + " arrays");
        }
        Map<Parameter, float[]> byParameter = new IdentityHashMap<>();
        for (int i = 0; i < arrays.length; i++) {
            Parameter p = parameters.get(i);
            if (arrays[i].length != p.size()) {
                throw new IllegalArgumentException(p.name() + " has " + p.size() + " values, its array "
                        + arrays[i].length);
            }
            byParameter.put(p, arrays[i]);
        }
        return parameter -> {
            float[] array = byParameter.get(parameter);
            if (array == null) {
                throw new IllegalArgumentException("no gradient array for " + parameter);
            }
            return array;
        };
    }
}
