package dev.microdiffusion.core.spi;

import dev.microdiffusion.core.util.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The one lookup for every SPI: providers registered in {@code META-INF/services} are found by name.
 * An unknown name fails with a message listing the names that are available.
 */
public final class Registry {

    private Registry() {
    }

    /**
     * {@return all providers of a type visible to the thread's context class loader (or this library's loader)}
     *
     * @param <P> the provider type
     * @param type the provider interface
     */
    public static <P extends NamedProvider> List<P> all(Class<P> type) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = Registry.class.getClassLoader();
        }
        TreeMap<String, P> byName = new TreeMap<>();
        for (P provider : ServiceLoader.load(type, loader)) {
            P previous = byName.putIfAbsent(provider.name(), provider);
            if (previous != null && previous.getClass() != provider.getClass()) {
                throw new IllegalStateException("two " + type.getSimpleName() + "s are registered as '" + provider.name()
                        + "': " + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        return new ArrayList<>(byName.values());
    }

    /**
     * {@return the names of all providers of a type, sorted}
     *
     * @param <P> the provider type
     * @param type the provider interface
     */
    public static <P extends NamedProvider> List<String> names(Class<P> type) {
        return all(type).stream().map(NamedProvider::name).toList();
    }

    /**
     * The provider of a type registered under a name.
     *
     * @param <P> the provider type
     * @param type the provider interface
     * @param name the provider name
     * @throws IllegalArgumentException naming the available providers when none has that name
     * @return the provider
     */
    public static <P extends NamedProvider> P find(Class<P> type, String name) {
        List<P> providers = all(type);
        for (P provider : providers) {
            if (provider.name().equals(name)) {
                return provider;
            }
        }
        String available = providers.isEmpty() ? "none is registered (is the module on the class path?)"
                : "available: " + String.join(", ", providers.stream().map(NamedProvider::name).toList());
        throw new IllegalArgumentException("no " + type.getSimpleName() + " named '"
                + Messages.printable(String.valueOf(name), 60) + "'; " + available);
    }
}
