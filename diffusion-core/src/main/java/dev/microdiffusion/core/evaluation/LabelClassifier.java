package dev.microdiffusion.core.evaluation;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import java.util.ArrayList;
import java.util.List;

/**
 * Which label a text most likely carries, by one Kneser–Ney n-gram model per label fitted on that label's training
 * texts: the label under whose model the text is most likely, with equal priors (so that a label with fewer texts is
 * not disfavoured). Independent of any diffusion model, it judges whether guided samples carry the label asked for.
 */
public final class LabelClassifier {

    private final List<String> labels;
    private final KneserNeyModel[] models;

    private LabelClassifier(List<String> labels, KneserNeyModel[] models) {
        this.labels = List.copyOf(labels);
        this.models = models;
    }

    /**
     * Fits one model per label on a labelled corpus.
     *
     * @param labels the label names, label id i at index i
     * @param train a labelled corpus
     * @param order the n-gram order of each label's model
     * @throws IllegalArgumentException if the corpus is not labelled or a label has no text
     * @return the classifier
     */
    public static LabelClassifier fit(EncodedCorpus train, List<String> labels, int order) {
        if (!train.isLabelled()) {
            throw new IllegalArgumentException("the corpus is not labelled");
        }
        KneserNeyModel[] models = new KneserNeyModel[labels.size()];
        for (int id = 0; id < models.length; id++) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                if (train.labels()[i] == id) {
                    texts.add(train.texts().get(i));
                }
            }
            if (texts.isEmpty()) {
                throw new IllegalArgumentException("no training text has the label '" + labels.get(id) + "'");
            }
            models[id] = new KneserNeyModel(texts, order, KneserNeyModel.DEFAULT_DISCOUNT);
        }
        return new LabelClassifier(labels, models);
    }

    /** {@return the label names, label id i at index i} */
    public List<String> labels() {
        return labels;
    }

    /**
     * {@return the id of the label whose model gives {@code text} the highest likelihood (ties to the lower id)}
     *
     * @param text a text
     */
    public int classify(String text) {
        int best = 0;
        double bestNll = Double.POSITIVE_INFINITY;
        for (int id = 0; id < models.length; id++) {
            double nll = models[id].negativeLogLikelihood(text);
            if (nll < bestNll) {
                bestNll = nll;
                best = id;
            }
        }
        return best;
    }

    /**
     * {@return the nats per character (end counted) of {@code texts} under the model of one label's texts}
     *
     * @param texts the texts
     * @param label the label id
     */
    public double natsPerCharacter(List<String> texts, int label) {
        return models[label].natsPerCharacter(texts);
    }

    /**
     * {@return the share of {@code texts} classified as {@code label}}
     *
     * @param texts the texts
     * @param label the label id
     */
    public double fractionWithLabel(List<String> texts, int label) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to classify");
        }
        return texts.stream().filter(t -> classify(t) == label).count() / (double) texts.size();
    }

    /**
     * Per label, the share of a labelled corpus's texts of that label classified as it (the recall).
     *
     * @param heldOut labelled texts
     * @return the recall of each label, by label id
     */
    public double[] recall(EncodedCorpus heldOut) {
        double[] recall = new double[models.length];
        for (int id = 0; id < models.length; id++) {
            List<String> texts = heldOut.withLabel(id).texts();
            recall[id] = texts.isEmpty() ? Double.NaN : fractionWithLabel(texts, id);
        }
        return recall;
    }
}
