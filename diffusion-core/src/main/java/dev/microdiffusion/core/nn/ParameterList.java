package dev.microdiffusion.core.nn;

import dev.microdiffusion.core.spi.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * A denoiser's parameters in the order they are registered: the order {@link dev.microdiffusion.core.spi.Denoiser#parameters()}
 * returns, checkpoints store and an initialiser that walks them draws in. Layers register theirs here under
 * PyTorch-style names ({@code blocks.0.attn.qkv.weight}), so that a model's tensors read like its {@code state_dict}.
 */
public final class ParameterList {

    private final List<Parameter> parameters = new ArrayList<>();

    /**
     * Registers a new zeroed parameter.
     *
     * @param name  its name, unique in the list
     * @param kind  what it is
     * @param shape its dimensions
     * @return the parameter
     * @throws IllegalArgumentException if the name is taken
     */
    public Parameter add(String name, Parameter.Kind kind, int... shape) {
        for (Parameter p : parameters) {
            if (p.name().equals(name)) {
                throw new IllegalArgumentException("a parameter named " + name + " is registered already");
            }
        }
        Parameter p = new Parameter(name, kind, shape);
        parameters.add(p);
        return p;
    }

    /** {@return the parameters registered so far, in order} */
    public List<Parameter> list() {
        return List.copyOf(parameters);
    }
}
