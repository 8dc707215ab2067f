package dev.microdiffusion.core;

import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.corpus.LabelledCorpus;
import dev.microdiffusion.core.corpus.TextCorpus;
import dev.microdiffusion.core.evaluation.DecodingOrder;
import dev.microdiffusion.core.evaluation.LabelNelbo;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.evaluation.OrderedLikelihood;
import dev.microdiffusion.core.internal.Parallel;
import dev.microdiffusion.core.internal.evaluation.NelboEvaluator;
import dev.microdiffusion.core.internal.evaluation.OrderedLikelihoodEvaluator;
import dev.microdiffusion.core.spi.RandomStreams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request for the negative ELBO of held-out texts (bits per character): Gauss–Legendre nodes over t, Monte Carlo masks.
 * Deterministic for a seed, whatever the thread count.
 */
public final class Evaluation {
    private final DiffusionModel model;
    private int nodes = Nelbo.DEFAULT_NODES;
    private int maskDraws = Nelbo.DEFAULT_MASK_DRAWS;
    private int threads = Parallel.defaultThreads();
    private long seed = RandomStreams.DEFAULT_SEED;
    private boolean conditional = true;

    Evaluation(DiffusionModel model) {
        this.model = model;
    }

    /**
     * {@return the unconditional bound: every text under the null label, whether or not the data are labelled (by
     * default a conditional model is given each labelled text's label)}
     */
    public Evaluation unconditional() {
        conditional = false;
        return this;
    }

    /**
     * Quadrature nodes over t (16).
     *
     * @param value quadrature nodes over t
     * @return this
     */
    public Evaluation nodes(int value) {
        nodes = value;
        return this;
    }

    /**
     * Mask draws per text and node (1).
     *
     * @param value mask draws per text and node
     * @return this
     */
    public Evaluation maskDraws(int value) {
        maskDraws = value;
        return this;
    }

    /**
     * Threads (default: the available processors); the figure does not depend on it.
     *
     * @param value the thread count
     * @return this
     */
    public Evaluation threads(int value) {
        threads = value;
        return this;
    }

    /**
     * The seed of the masks (1).
     *
     * @param value the seed of the masks
     * @return this
     */
    public Evaluation seed(long value) {
        seed = value;
        return this;
    }

    /**
     * The NELBO of the texts the model's training run held out of {@code corpus}, the corpus it was trained on:
     * the model's saved {@link DiffusionModel#split() split} applied again, in one call.
     *
     * @param corpus the corpus the model was trained on
     * @throws IllegalStateException    if the model does not know how its data were split (a file from elsewhere)
     * @throws IllegalArgumentException if {@code corpus} is not the one the run split, or nothing was held out
     * @return the held-out texts' NELBO
     */
    public Nelbo heldOut(List<String> corpus) {
        return heldOut(model.encode(Objects.requireNonNull(corpus, "corpus")));
    }

    /**
     * As {@link #heldOut(List)} for a labelled model and the labelled corpus it was trained on.
     *
     * @param corpus the labelled corpus the model was trained on
     * @return the held-out texts' NELBO
     */
    public Nelbo heldOut(LabelledCorpus corpus) {
        return heldOut(model.encode(Objects.requireNonNull(corpus, "corpus")));
    }

    /**
     * As {@link #heldOut(List)} for a model trained on a running text: the text's held-out tail, as consecutive
     * windows.
     *
     * @param text the running text the model was trained on
     * @return the held-out windows' NELBO
     */
    public Nelbo heldOut(TextCorpus text) {
        return heldOut(model.encode(Objects.requireNonNull(text, "text")));
    }

    private Nelbo heldOut(EncodedCorpus all) {
        DataSplit saved = model.split().orElseThrow(() -> new IllegalStateException("the model does not know how its "
                + "training data were split; evaluate texts of your own with nelbo(model.encode(texts))"));
        if (!saved.matches(all)) {
            throw new IllegalArgumentException("these are not the texts the model was trained on (their "
                    + "fingerprint differs), so its held-out ones cannot be found among them");
        }
        EncodedCorpus validation = saved.apply(all).validation();
        if (validation.size() == 0) {
            throw new IllegalArgumentException("the model's training run held out no texts (validation fraction "
                    + saved.validationFraction() + ")");
        }
        return nelbo(validation);
    }

    /**
     * For each label of a labelled model, its texts of {@code heldOut} scored with their label and without, in
     * label order; labels with no text there are left out. The same nodes, draws and seed as {@link #nelbo}.
     *
     * @param heldOut labelled texts
     * @return the figures by label name
     * @throws IllegalArgumentException if the model or the texts are not labelled
     */
    public Map<String, LabelNelbo> byLabel(EncodedCorpus heldOut) {
        if (model.labels().isEmpty() || !heldOut.isLabelled()) {
            throw new IllegalArgumentException("figures by label need a labelled model and labelled texts");
        }
        NelboEvaluator given = new NelboEvaluator(nodes, maskDraws, threads, true);
        NelboEvaluator none = new NelboEvaluator(nodes, maskDraws, threads, false);
        Map<String, LabelNelbo> out = new LinkedHashMap<>();
        for (int id = 0; id < model.labels().size(); id++) {
            EncodedCorpus part = heldOut.withLabel(id);
            if (part.size() > 0) {
                out.put(model.labels().get(id), new LabelNelbo(part.size(),
                        given.evaluate(model.tokenizer(), model.denoiser(), model.schedule(), part, seed),
                        none.evaluate(model.tokenizer(), model.denoiser(), model.schedule(), part, seed)));
            }
        }
        return out;
    }

    /**
     * The exact negative log-likelihood of {@code texts} under the autoregressive model this model's conditionals
     * form in a fixed order: a second figure beside the NELBO bound, deterministic (no nodes, draws or seed).
     * Conditional, or not, as {@link #nelbo} is; {@link #threads} applies.
     *
     * @param texts texts to score, e.g. the held-out ones
     * @param order the order positions are revealed in
     * @return the exact NLL, per text and per character
     * @throws IllegalArgumentException if there are no texts or their rows are not the model's
     */
    public OrderedLikelihood ordered(EncodedCorpus texts, DecodingOrder order) {
        Objects.requireNonNull(order, "order");
        return new OrderedLikelihoodEvaluator(threads, conditional).evaluate(model.tokenizer(), model.denoiser(), model.schedule(),
                Objects.requireNonNull(texts, "texts"), order);
    }

    /**
     * {@return the NELBO of {@code heldOut}}
     *
     * @param heldOut texts the model did not train on
     */
    public Nelbo nelbo(EncodedCorpus heldOut) {
        return new NelboEvaluator(nodes, maskDraws, threads, conditional).evaluate(model.tokenizer(), model.denoiser(), model.schedule(),
                heldOut, seed);
    }
}
