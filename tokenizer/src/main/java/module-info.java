/**
 * The character tokenizer ("char": ids are the sorted corpus characters, then PAD, then MASK) and the digit tokenizers
 * of partial masking ("char-digits-2", "char-digits-3": each character as two or three digits).
 */
module dev.microdiffusion.tokenizer {
    requires dev.microdiffusion.core;

    provides dev.microdiffusion.core.spi.TokenizerProvider with dev.microdiffusion.tokenizer.CharTokenizerProvider,
            dev.microdiffusion.tokenizer.DigitTokenizerProvider.Two, dev.microdiffusion.tokenizer.DigitTokenizerProvider.Three;
}
