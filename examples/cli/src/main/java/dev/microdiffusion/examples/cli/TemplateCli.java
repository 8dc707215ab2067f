package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.Generation;
import picocli.CommandLine.Option;

/** Constraints on generated names: a template, or a prefix, a suffix and a length. */
final class TemplateCli {

    @Option(names = "--template", paramLabel = "PATTERN",
            description = "fixed characters, _ for any and [aeiou] or [^xyz] for a set, e.g. [aeiou]m__a (the length is exact)")
    String template;

    @Option(names = "--prefix", description = "names start with this")
    String prefix;

    @Option(names = "--suffix", description = "names end with this (needs --length)")
    String suffix;

    @Option(names = "--length", description = "names have exactly this many characters")
    Integer length;

    @Option(names = "--max-chars", description = "names have at most this many characters")
    Integer maxChars;

    /** Sets the constraints given on a generation (none: free generation). */
    Generation.Builder apply(Generation.Builder generation) {
        if (template != null) {
            if (prefix != null || suffix != null || length != null || maxChars != null) {
                throw new IllegalArgumentException("--template already fixes the name; drop --prefix, --suffix, "
                        + "--length and --max-chars");
            }
            return generation.template(template);
        }
        if (suffix != null && length == null) {
            throw new IllegalArgumentException("--suffix needs --length: nothing else says where the name ends");
        }
        if (prefix != null) {
            generation.prefix(prefix);
        }
        if (suffix != null) {
            generation.suffix(suffix);
        }
        if (length != null) {
            generation.length(length);
        }
        if (maxChars != null) {
            generation.maxChars(maxChars);
        }
        return generation;
    }
}
