package dev.microdiffusion.core.spi;

import dev.microdiffusion.core.util.Messages;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings of one provider's product, read the same way by every provider (denoisers, schedules, samplers):
 * string keys and values as a user or a checkpoint gives them, read with typed getters that name the provider and
 * the key in every error. Each key is declared once, as a {@link Setting} with its default and bounds; unknown keys
 * are refused by {@link #requireOnly}.
 *
 * <pre>{@code
 * static final Setting.Number THRESHOLD = Setting.number("threshold", 0.9, 0, 1);
 *
 * double threshold = Settings.of("sampler threshold", settings).requireOnly(THRESHOLD).get(THRESHOLD);
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
     * @param owner the words errors start with
     * @param values the settings as given
     * @throws IllegalArgumentException if a key or value is null
     * @return the settings
     */
    public static Settings of(String owner, Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException(owner + ": a setting has no key or no value");
            }
        }
        return new Settings(owner, values);
    }

    /** {@return the raw settings, sorted by key} */
    public Map<String, String> asMap() {
        return values;
    }

    /** {@return whether no setting was given} */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * Refuses any key but those declared, naming the ones it takes.
     *
     * @param declared every setting the provider takes
     * @return this, to chain the getters
     * @throws IllegalArgumentException naming the unknown keys and the known ones
     */
    public Settings requireOnly(Setting... declared) {
        Set<String> keys = new TreeSet<>();
        for (Setting setting : declared) {
            keys.add(setting.key());
        }
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(keys);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(owner + (keys.isEmpty() ? " takes no settings"
                    : " takes only " + String.join(", ", keys)) + "; got " + shown(unknown.toString()));
        }
        return this;
    }

    /**
     * The settings whose keys start with {@code prefix}, with the prefix removed (settings of a part).
     *
     * @param prefix the part's key prefix, e.g. {@code "inner."}
     * @return the part's settings, sorted by key
     */
    public Map<String, String> under(String prefix) {
        Map<String, String> part = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                part.put(k.substring(prefix.length()), v);
            }
        });
        return part;
    }

    /**
     * A text setting's value.
     *
     * @param setting the declaration
     * @return the value given, or the declared default when absent
     */
    public String get(Setting.Text setting) {
        return values.getOrDefault(setting.key(), setting.defaultValue());
    }

    /**
     * A whole-number setting's value.
     *
     * @param setting the declaration
     * @return the value given, or the declared default when absent
     * @throws IllegalArgumentException naming the owner and key if the value is no whole number or out of bounds
     */
    public int get(Setting.Whole setting) {
        String key = setting.key();
        String value = values.get(key);
        if (value == null) {
            return setting.defaultValue();
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(owner + ": " + key + " must be a whole number, got '" + shown(value) + "'");
        }
        if (parsed < setting.min() || parsed > setting.max()) {
            throw new IllegalArgumentException(owner + ": " + key + " must be in [" + setting.min() + ", "
                    + setting.max() + "], got " + parsed);
        }
        return parsed;
    }

    /**
     * A number setting's value.
     *
     * @param setting the declaration
     * @return the value given, or the declared default when absent
     * @throws IllegalArgumentException naming the owner and key if the value is no finite number or out of bounds
     */
    public double get(Setting.Number setting) {
        String key = setting.key();
        String value = values.get(key);
        if (value == null) {
            return setting.defaultValue();
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
        if (parsed < setting.min() || parsed > setting.max()) {
            throw new IllegalArgumentException(owner + ": " + key + " must be in [" + setting.min() + ", "
                    + setting.max() + "], got " + parsed);
        }
        return parsed;
    }

    /** A value from a user or a file, fit for one line of an error. */
    private static String shown(String value) {
        return Messages.printable(value, 60);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
