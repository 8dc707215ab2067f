package dev.microdiffusion.core;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.List;

/** A char tokenizer for core's tests: the given symbols, then PAD, then MASK. */
final class TinyTokenizer implements Tokenizer {

    private final String symbols;
    private final int maxLength;

    TinyTokenizer(String symbols, int maxLength) {
        this.symbols = symbols;
        this.maxLength = maxLength;
    }

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public String vocabulary() {
        return symbols;
    }

    @Override
    public int vocabSize() {
        return symbols.length() + 2;
    }

    @Override
    public int padId() {
        return symbols.length();
    }

    @Override
    public int maskId() {
        return symbols.length() + 1;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public String normalize(String text) {
        return text.strip();
    }

    @Override
    public void encode(String text, int[] out, int offset) {
        if (text.length() > maxLength) {
            throw new IllegalArgumentException("too long");
        }
        for (int i = 0; i < maxLength; i++) {
            if (i < text.length()) {
                int id = symbols.indexOf(text.charAt(i));
                if (id < 0) {
                    throw new IllegalArgumentException("unknown " + text.charAt(i));
                }
                out[offset + i] = id;
            } else {
                out[offset + i] = padId();
            }
        }
    }

    @Override
    public String decode(int[] ids, int offset, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = offset; i < offset + length; i++) {
            if (ids[i] < symbols.length()) {
                s.append(symbols.charAt(ids[i]));
            }
        }
        return s.toString();
    }

    @Override
    public String symbol(int id) {
        return id < symbols.length() ? String.valueOf(symbols.charAt(id)) : id == padId() ? "[PAD]" : "[MASK]";
    }

    @Override
    public EncodedCorpus encodeCorpus(List<String> lines) {
        int[] ids = new int[lines.size() * maxLength];
        for (int i = 0; i < lines.size(); i++) {
            encode(lines.get(i), ids, i * maxLength);
        }
        return new EncodedCorpus(lines, ids, maxLength, 0);
    }
}
