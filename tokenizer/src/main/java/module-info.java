/**
 * The character tokenizers: "char" (names, normalised) and "text" (running text as it is); ids are the sorted corpus
 * characters, then PAD, then MASK.
 */
module dev.microdiffusion.tokenizer {
    requires dev.microdiffusion.core;

    provides dev.microdiffusion.core.spi.TokenizerProvider with dev.microdiffusion.tokenizer.CharTokenizerProvider,
            dev.microdiffusion.tokenizer.TextTokenizerProvider;
}
