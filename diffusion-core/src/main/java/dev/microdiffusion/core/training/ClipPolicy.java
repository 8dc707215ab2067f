package dev.microdiffusion.core.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.util.Spelling;

/** Which gradients are clipped element-wise to ±clip value before the optimiser step. */
public enum ClipPolicy {
    /** No clipping (the reference's Transformer). */
    NONE,
    /** Only the weight matrices of linear layers (the reference's 2-layer MLP script). */
    WEIGHTS,
    /** Every parameter (the reference's 3-layer MLP script). */
    ALL;

    /**
     * {@return whether this policy clips the gradient of {@code parameter}}
     *
     * @param parameter a trainable tensor
     */
    public boolean clips(Parameter parameter) {
        return switch (this) {
            case NONE -> false;
            case WEIGHTS -> parameter.kind() == Parameter.Kind.WEIGHT;
            case ALL -> true;
        };
    }

    /** {@return how it is spelt in settings, on the command line and in JSON} */
    @JsonValue
    public String option() {
        return Spelling.of(this);
    }

    /**
     * Reads {@link #option()} (or the constant's name), with an error listing the spellings.
     *
     * @param text the spelling
     * @return the policy
     */
    @JsonCreator
    public static ClipPolicy parse(String text) {
        return Spelling.parse(ClipPolicy.class, text, "clip policy");
    }
}
