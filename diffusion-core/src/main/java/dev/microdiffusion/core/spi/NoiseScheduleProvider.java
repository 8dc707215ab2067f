package dev.microdiffusion.core.spi;

import java.util.Map;

/**
 * Makes {@link NoiseSchedule}s; registered in {@code META-INF/services/dev.microdiffusion.core.spi.NoiseScheduleProvider}
 * (and {@code provides} in a module). Settings work as for every provider: string keys and values, read with
 * {@link Settings}, unknown keys refused.
 */
public interface NoiseScheduleProvider extends NamedProvider {

    /** {@return the schedule with its default settings} */
    NoiseSchedule create();

    /**
     * {@return the schedule with the given settings ({@link NoiseSchedule#parameters()} of a saved one); unknown keys
     * or bad values are refused with a message naming the keys this schedule takes}
     *
     * @param settings the settings, by key
     */
    default NoiseSchedule create(Map<String, String> settings) {
        Settings.of("schedule " + name(), settings).requireOnly();
        return create();
    }
}
