package dev.microdiffusion.core.spi;

import java.util.Map;

/**
 * Makes {@link Sampler}s; registered in {@code META-INF/services/dev.microdiffusion.core.spi.SamplerProvider} (and
 * {@code provides} in a module). Settings work as for every provider: string keys and values, read with
 * {@link Settings}, unknown keys refused.
 */
public interface SamplerProvider extends NamedProvider {

    /** {@return a new sampler with its default settings (each sampler has its own buffers)} */
    Sampler create();

    /**
     * {@return a new sampler with the given settings; unknown keys or bad values are refused with a message naming the
     * keys this sampler takes} Samplers without settings need not override it.
     *
     * @param settings the settings, by key
     */
    default Sampler create(Map<String, String> settings) {
        Settings.of("sampler " + name(), settings).requireOnly();
        return create();
    }
}
