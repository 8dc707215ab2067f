/** The character tokenizer ("char"): ids are the sorted corpus characters, then PAD, then MASK. */
module dev.microdiffusion.tokenizer {
    requires dev.microdiffusion.core;

    provides dev.microdiffusion.core.spi.TokenizerProvider with dev.microdiffusion.tokenizer.CharTokenizerProvider;
}
