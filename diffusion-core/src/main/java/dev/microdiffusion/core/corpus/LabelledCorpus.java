package dev.microdiffusion.core.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Texts with one label each, as {@link dev.microdiffusion.core.TrainingRun.Builder#labels} takes them. Read from lines of the form
 * {@code text<TAB>label} by {@link #parse}.
 *
 * @param texts  the texts, in corpus order
 * @param labels {@code labels.get(n)} is the label of {@code texts.get(n)}
 */
public record LabelledCorpus(List<String> texts, List<String> labels) {

    /** The character between a text and its label on a line. */
    public static final char SEPARATOR = '\t';

    /**
     * @param texts the texts, in corpus order
     * @param labels {@code labels.get(n)} is the label of {@code texts.get(n)}
     * @throws NullPointerException     naming the list, or the text or label, that is null
     * @throws IllegalArgumentException if the lists differ in size
     */
    public LabelledCorpus {
        texts = copy(texts, "texts");
        labels = copy(labels, "labels");
        if (texts.size() != labels.size()) {
            throw new IllegalArgumentException(texts.size() + " texts, " + labels.size() + " labels");
        }
    }

    private static List<String> copy(List<String> values, String name) {
        if (values == null) {
            throw new NullPointerException(name);
        }
        for (int n = 0; n < values.size(); n++) {
            if (values.get(n) == null) {
                throw new NullPointerException(name + ": element " + (n + 1) + " is null");
            }
        }
        return List.copyOf(values);
    }

    /**
     * Reads {@code text<TAB>label} lines; blank lines are skipped, and the label is stripped.
     *
     * @param lines {@code text<TAB>label} lines
     * @throws IllegalArgumentException naming the (1-based) line that has no tab or no label
     * @return the corpus
     */
    public static LabelledCorpus parse(List<String> lines) {
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            int tab = line.lastIndexOf(SEPARATOR);
            if (tab < 0) {
                throw new IllegalArgumentException("line " + (n + 1) + " has no tab between its text and its label");
            }
            String label = line.substring(tab + 1).strip();
            if (label.isEmpty()) {
                throw new IllegalArgumentException("line " + (n + 1) + " has an empty label");
            }
            texts.add(line.substring(0, tab));
            labels.add(label);
        }
        return new LabelledCorpus(texts, labels);
    }

    /** {@return the distinct labels, sorted: label id i is the i-th} */
    public List<String> labelNames() {
        return List.copyOf(new TreeSet<>(labels));
    }
}
