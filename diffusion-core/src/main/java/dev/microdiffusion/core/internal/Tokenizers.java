package dev.microdiffusion.core.internal;

import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.Tokenizer;

/** The one check that a tokenizer and a denoiser read rows the same way, for runs and model files alike. */
public final class Tokenizers {

    private Tokenizers() {
    }

    /**
     * Refuses a denoiser that reads another number of tokens per character than the tokenizer writes.
     *
     * @param tokenizer the tokenizer
     * @param provider  the denoiser's provider
     * @param config    the denoiser's config
     * @throws IllegalArgumentException naming both and what would fit
     */
    public static void requirePair(Tokenizer tokenizer, DenoiserProvider provider, DenoiserConfig config) {
        int written = tokenizer.tokensPerCharacter();
        int read = provider.tokensPerCharacter(config);
        if (written != read) {
            throw new IllegalArgumentException("the " + provider.name() + " denoiser reads " + read + " token"
                    + (read == 1 ? "" : "s") + " per character, the '" + tokenizer.name() + "' tokenizer writes "
                    + written + ": pair them so that the two agree");
        }
    }
}
