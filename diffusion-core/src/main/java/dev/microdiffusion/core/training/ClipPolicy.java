package dev.microdiffusion.core.training;

import dev.microdiffusion.core.Parameter;

/** Which gradients are clipped element-wise to ±clip value before the optimiser step. */
public enum ClipPolicy {
    /** No clipping (the reference's Transformer). */
    NONE,
    /** Only the weight matrices of linear layers (the reference's 2-layer MLP script). */
    WEIGHTS,
    /** Every parameter (the reference's 3-layer MLP script). */
    ALL;

    public boolean clips(Parameter parameter) {
        return switch (this) {
            case NONE -> false;
            case WEIGHTS -> parameter.kind() == Parameter.Kind.WEIGHT;
            case ALL -> true;
        };
    }
}
