package dev.microdiffusion.core.internal.schedule;

import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.NoiseScheduleProvider;
import dev.microdiffusion.core.spi.Setting;
import java.util.Map;

public final class CosineScheduleProvider implements NoiseScheduleProvider {

    private static final Setting.Number OFFSET = ScheduleProviders.setting("offset", CosineSchedule.OFFSET);

    @Override
    public String name() {
        return CosineSchedule.NAME;
    }

    @Override
    public String description() {
        return "rate(t) = 1 - cos^2(((t + 0.008)/1.008) pi/2), the reference's schedule (setting: offset)";
    }

    @Override
    public NoiseSchedule create() {
        return new CosineSchedule();
    }

    @Override
    public NoiseSchedule create(Map<String, String> parameters) {
        return ScheduleProviders.withSetting(name(), parameters, OFFSET, CosineSchedule::new, create());
    }
}
