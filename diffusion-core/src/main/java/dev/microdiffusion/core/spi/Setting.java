package dev.microdiffusion.core.spi;

/**
 * One setting a provider takes, declared once: its key, its default and, for numbers, its bounds. The provider
 * refuses other keys with {@link Settings#requireOnly(Setting...)}, reads a value with {@link Settings#get(Whole)}
 * (and its siblings) and puts the default into the configuration it proposes with
 * {@link DenoiserConfig#with(Setting...)}, all from the same declaration:
 *
 * <pre>{@code
 * static final Setting.Whole HIDDEN = Setting.whole("hidden", 256, 1, 16_384);
 *
 * int hidden = config.settings().requireOnly(HIDDEN).get(HIDDEN);
 * }</pre>
 */
public sealed interface Setting permits Setting.Whole, Setting.Number, Setting.Text {

    /**
     * The key a user, a checkpoint or a configuration gives the value under.
     *
     * @return the key
     */
    String key();

    /**
     * The default written as a setting's value is written, as a checkpoint stores it.
     *
     * @return the default as text
     */
    String defaultText();

    /**
     * A whole-number setting.
     *
     * @param key          the key
     * @param defaultValue the value when the setting is absent, within the bounds
     * @param min          the least value accepted
     * @param max          the greatest value accepted
     * @return the declaration
     * @throws IllegalArgumentException if the bounds are reversed or the default is outside them
     */
    static Whole whole(String key, int defaultValue, int min, int max) {
        return new Whole(key, defaultValue, min, max);
    }

    /**
     * A finite number setting.
     *
     * @param key          the key
     * @param defaultValue the value when the setting is absent, within the bounds
     * @param min          the least value accepted
     * @param max          the greatest value accepted
     * @return the declaration
     * @throws IllegalArgumentException if the bounds are reversed or the default is outside them
     */
    static Number number(String key, double defaultValue, double min, double max) {
        return new Number(key, defaultValue, min, max);
    }

    /**
     * A text setting.
     *
     * @param key          the key
     * @param defaultValue the value when the setting is absent
     * @return the declaration
     */
    static Text text(String key, String defaultValue) {
        return new Text(key, defaultValue);
    }

    /**
     * A whole-number setting in [min, max].
     *
     * @param key          the key
     * @param defaultValue the value when absent
     * @param min          the least value accepted
     * @param max          the greatest value accepted
     */
    record Whole(String key, int defaultValue, int min, int max) implements Setting {
        /**
         * Checks the declaration.
         *
         * @param key the key
         * @param defaultValue the value when absent
         * @param min the least value accepted
         * @param max the greatest value accepted
         */
        public Whole {
            requireKey(key);
            if (min > max || defaultValue < min || defaultValue > max) {
                throw new IllegalArgumentException(key + ": the default " + defaultValue + " must lie in [" + min
                        + ", " + max + "]");
            }
        }

        @Override
        public String defaultText() {
            return Integer.toString(defaultValue);
        }
    }

    /**
     * A finite number setting in [min, max].
     *
     * @param key          the key
     * @param defaultValue the value when absent
     * @param min          the least value accepted
     * @param max          the greatest value accepted
     */
    record Number(String key, double defaultValue, double min, double max) implements Setting {
        /**
         * Checks the declaration.
         *
         * @param key the key
         * @param defaultValue the value when absent
         * @param min the least value accepted
         * @param max the greatest value accepted
         */
        public Number {
            requireKey(key);
            if (!(min <= max) || !(defaultValue >= min && defaultValue <= max)) {
                throw new IllegalArgumentException(key + ": the default " + defaultValue + " must lie in [" + min
                        + ", " + max + "]");
            }
        }

        @Override
        public String defaultText() {
            return Double.toString(defaultValue);
        }
    }

    /**
     * A text setting.
     *
     * @param key          the key
     * @param defaultValue the value when absent
     */
    record Text(String key, String defaultValue) implements Setting {
        /**
         * Checks the declaration.
         *
         * @param key the key
         * @param defaultValue the value when absent
         */
        public Text {
            requireKey(key);
            if (defaultValue == null) {
                throw new IllegalArgumentException(key + ": a text setting needs a default");
            }
        }

        @Override
        public String defaultText() {
            return defaultValue;
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a setting needs a key");
        }
    }
}
