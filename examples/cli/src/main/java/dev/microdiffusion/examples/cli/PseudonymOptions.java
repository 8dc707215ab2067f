package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.Pseudonymiser;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every pseudonymising command: the secret and whether pseudonyms keep their value's length. */
public final class PseudonymOptions {

    @Option(names = "--key-file", required = true, paramLabel = "FILE",
            description = "the secret: the file's bytes, at least " + Pseudonymiser.MIN_KEY_BYTES)
    Path keyFile;

    @Option(names = "--keep-length", description = "each pseudonym has as many characters as its value")
    boolean keepLength;

    /** The key file's secret; a refusal names the option. */
    public byte[] key() throws IOException {
        try {
            return Pseudonymiser.readKey(keyFile);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--key-file " + e.getMessage(), e);
        }
    }

    /** Whether pseudonyms keep their value's length. */
    public boolean keepLength() {
        return keepLength;
    }
}
