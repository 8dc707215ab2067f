package dev.microdiffusion.core.spi;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings of one provider's product, read the same way by every provider (denoisers, schedules, samplers):
 * string keys and values as a user or a checkpoint gives them, read with typed getters that name the provider and
 * the key in every error. Unknown keys are refused by {@link #requireOnly}.
 *
 * <pre>{@code
 * Settings s = Settings.of("sampler threshold", settings).requireOnly("threshold");
 * double threshold = s.number("threshold", 0.9, 0, 1);
 * }</pre>
 */
public final class Settings {

    private final String owner;
    private final Map<String, String> values;

    private Settings(String owner, Map<String, String> values) {
        this.owner = owner;
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * Settings read on behalf of {@code owner}, the words errors start with ("sampler threshold").
     *
     * @throws IllegalArgumentException if a key or value is null
     */
    public static Settings of(String owner, Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException(owner + ": a setting has no key or no value");
            }
        }
        return new Settings(owner, values);
    }

    /** The raw settings, sorted by key. */
    public Map<String, String> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * Refuses any key but these, naming the ones it takes.
     *
     * @return this, to chain the getters
     */
    public Settings requireOnly(String... keys) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(Set.of(keys));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(owner + (keys.length == 0 ? " takes no settings"
                    : " takes only " + String.join(", ", new TreeSet<>(Set.of(keys)))) + "; got "
                    + shown(unknown.toString()));
        }
        return this;
    }

    /** The settings whose keys start with {@code prefix}, with the prefix removed (settings of a part). */
    public Map<String, String> under(String prefix) {
        Map<String, String> part = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                part.put(k.substring(prefix.length()), v);
            }
        });
        return part;
    }

    /** A text setting, or its default when absent. */
    public String text(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /** A whole-number setting in [min, max], or its default when absent. */
    public int integer(String key, int defaultValue, int min, int max) {
        String value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(owner + ": " + key + " must be a whole number, got '" + shown(value) + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(owner + ": " + key + " must be in [" + min + ", " + max + "], got "
                    + parsed);
        }
        return parsed;
    }

    /** A finite number setting in [min, max], or its default when absent. */
    public double number(String key, double defaultValue, double min, double max) {
        String value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(owner + ": " + key + " must be a number, got '" + shown(value) + "'");
        }
        if (!Double.isFinite(parsed)) {
            throw new IllegalArgumentException(owner + ": " + key + " must be finite, got " + shown(value));
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(owner + ": " + key + " must be in [" + min + ", " + max + "], got "
                    + parsed);
        }
        return parsed;
    }

    /** A value from a user or a file, fit for one line of an error. */
    private static String shown(String value) {
        return dev.microdiffusion.core.internal.Messages.printable(value, 60);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
