package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.spi.Tokenizer;

/** Draws rows of ids for people: MASK as '_', PAD as '.', other ids as their symbol. */
final class CanvasView {

    static final char MASK = '_';
    static final char PAD = '.';

    private CanvasView() {
    }

    /** One symbol as {@link dev.microdiffusion.core.spi.Tokenizer#symbol} gives it, drawn as in {@link #row}. */
    static char symbol(String symbol) {
        return switch (symbol) {
            case "[MASK]" -> MASK;
            case "[PAD]" -> PAD;
            default -> symbol.charAt(0);
        };
    }

    static String row(Tokenizer tokenizer, int[] ids, int offset, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = offset; i < offset + length; i++) {
            int id = ids[i];
            if (id == tokenizer.maskId()) {
                sb.append(MASK);
            } else if (id == tokenizer.padId()) {
                sb.append(PAD);
            } else {
                sb.append(tokenizer.symbol(id));
            }
        }
        return sb.toString();
    }
}
