package dev.microdiffusion.core;

/** Makes {@link NoiseSchedule}s; registered in {@code META-INF/services/dev.microdiffusion.core.NoiseScheduleProvider}. */
public interface NoiseScheduleProvider extends NamedProvider {

    NoiseSchedule create();
}
