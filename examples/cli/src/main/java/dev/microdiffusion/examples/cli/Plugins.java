package dev.microdiffusion.examples.cli;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/** The class loader of {@code --plugins DIR}: every jar in DIR, in name order, in front of nothing but the CLI. */
final class Plugins {

    private Plugins() {
    }

    static ClassLoader loader(Path dir, CommandLine cli) {
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(cli, "--plugins " + dir + " is not a directory");
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new CommandLine.ParameterException(cli, "--plugins " + dir + ": " + e.getMessage());
        } catch (IOException e) {
            throw new CommandLine.ParameterException(cli, "--plugins " + dir + ": cannot list it: " + e.getMessage());
        }
        if (jars.isEmpty()) {
            throw new CommandLine.ParameterException(cli, "--plugins " + dir + " holds no .jar file");
        }
        return new URLClassLoader("microdiffusion-plugins", jars.toArray(URL[]::new), Plugins.class.getClassLoader());
    }
}
