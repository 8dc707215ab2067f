package dev.microdiffusion.core.spi;

/**
 * What every provider found through {@link java.util.ServiceLoader} has in common: the name users select it by.
 * Names are lower-case words joined by '-' ("cosine", "mlp-skip").
 */
public interface NamedProvider {

    /** {@return the name the registry looks this provider up by} */
    String name();

    /** {@return one line for help texts and error messages} */
    String description();
}
