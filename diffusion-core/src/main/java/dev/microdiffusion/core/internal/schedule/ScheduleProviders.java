package dev.microdiffusion.core.internal.schedule;

import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.NoiseScheduleProvider;
import dev.microdiffusion.core.spi.Setting;
import dev.microdiffusion.core.spi.Settings;
import java.util.Map;
import java.util.function.DoubleFunction;

/** The providers of the schedules in this package (one small class each, as ServiceLoader needs). */
public final class ScheduleProviders {

    private ScheduleProviders() {
    }

    /**
     * A schedule's one numeric setting; its bounds are left to the schedule's constructor, whose errors say what the
     * value means.
     */
    static Setting.Number setting(String key, double defaultValue) {
        return Setting.number(key, defaultValue, -Double.MAX_VALUE, Double.MAX_VALUE);
    }

    /** Reads the one numeric setting of a schedule, refusing any other key. */
    static NoiseSchedule withSetting(String schedule, Map<String, String> parameters, Setting.Number setting,
            DoubleFunction<NoiseSchedule> make, NoiseSchedule byDefault) {
        Settings settings = Settings.of("schedule " + schedule, parameters).requireOnly(setting);
        return parameters.containsKey(setting.key()) ? make.apply(settings.get(setting)) : byDefault;
    }

    public static final class Linear implements NoiseScheduleProvider {
        @Override
        public String name() {
            return LinearSchedule.NAME;
        }

        @Override
        public String description() {
            return "rate(t) = t";
        }

        @Override
        public NoiseSchedule create() {
            return new LinearSchedule();
        }
    }

    public static final class LogLinear implements NoiseScheduleProvider {
        private static final Setting.Number EPSILON = setting("epsilon", LogLinearSchedule.EPSILON);

        @Override
        public String name() {
            return LogLinearSchedule.NAME;
        }

        @Override
        public String description() {
            return "MDLM's: alpha(t) = 1 - (1 - eps) t, eps = 1e-3 (setting: epsilon)";
        }

        @Override
        public NoiseSchedule create() {
            return new LogLinearSchedule();
        }

        @Override
        public NoiseSchedule create(Map<String, String> parameters) {
            return withSetting(name(), parameters, EPSILON, LogLinearSchedule::new, create());
        }
    }

    public static final class Polynomial implements NoiseScheduleProvider {
        private static final Setting.Number EXPONENT = setting("exponent", PolynomialSchedule.EXPONENT);

        @Override
        public String name() {
            return PolynomialSchedule.NAME;
        }

        @Override
        public String description() {
            return "MD4's: rate(t) = t^p, p = 2 (setting: exponent)";
        }

        @Override
        public NoiseSchedule create() {
            return new PolynomialSchedule();
        }

        @Override
        public NoiseSchedule create(Map<String, String> parameters) {
            return withSetting(name(), parameters, EXPONENT, PolynomialSchedule::new, create());
        }
    }
}
