package dev.microdiffusion.core;

/** Makes {@link Sampler}s; registered in {@code META-INF/services/dev.microdiffusion.core.SamplerProvider}. */
public interface SamplerProvider extends NamedProvider {

    /** A new sampler (each has its own buffers). */
    Sampler create();
}
