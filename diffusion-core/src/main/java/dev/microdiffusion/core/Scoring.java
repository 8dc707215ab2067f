package dev.microdiffusion.core;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.internal.Parallel;
import dev.microdiffusion.core.internal.evaluation.NelboEvaluator;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A validated request to score texts one by one: each text's NELBO (an upper bound on its negative log-likelihood)
 * with the quadrature and mask draws of the corpus figure {@link Evaluation#nelbo}, whose mean over a
 * corpus it reproduces exactly. Made by {@link DiffusionModel#scoring()}:
 *
 * <pre>{@code
 * List<TextScore> scores = model.scoring().build().score(List.of("emma", "xqzzv", "noël"));
 * }</pre>
 *
 * A text's score depends on the model, the settings, the seed and the text alone (its masks are keyed by its ids),
 * so the same value gets the same score in any batch, order, thread count or machine; the same text twice gets the
 * same score twice. Texts the model cannot encode get a {@link TextScore.Outcome} instead of failing the batch.
 *
 * <p>For a labelled model, {@link Builder#classify(boolean)} (on by default) also scores every text under every
 * label and reports the label of the highest posterior p(label | text) ∝ exp(−NELBO(text | label)), with equal
 * priors and the bound standing in for −log p(text | label); it costs one more evaluation per label. Thread-safe:
 * one request may score batches from many threads.
 */
public final class Scoring {

    private final DiffusionModel model;
    private final NelboEvaluator unconditional;
    private final NelboEvaluator conditional;
    private final long seed;
    private final int label;
    private final boolean classify;

    private Scoring(DiffusionModel model, NelboEvaluator unconditional, NelboEvaluator conditional, long seed,
            int label, boolean classify) {
        this.model = model;
        this.unconditional = unconditional;
        this.conditional = conditional;
        this.seed = seed;
        this.label = label;
        this.classify = classify;
    }

    /**
     * {@return the score of one text}
     *
     * @param text a text
     */
    public TextScore score(String text) {
        return score(Arrays.asList(text)).get(0);
    }

    /**
     * The score of every text, in order; null, blank and unencodable texts get their {@link TextScore.Outcome}.
     *
     * @param texts the texts
     * @throws NullPointerException if {@code texts} is null (a null element is a {@link TextScore.Outcome#MISSING})
     * @return one score per text
     */
    public List<TextScore> score(List<String> texts) {
        if (texts == null) {
            throw new NullPointerException("texts");
        }
        Tokenizer tokenizer = model.tokenizer();
        int length = tokenizer.maxLength();
        String labelName = label < 0 ? null : model.labels().get(label);
        TextScore[] out = new TextScore[texts.size()];
        List<String> encodable = new ArrayList<>();
        int[] where = new int[texts.size()];
        int[] ids = new int[texts.size() * length];
        for (int n = 0; n < texts.size(); n++) {
            String text = texts.get(n);
            if (text == null) {
                out[n] = TextScore.unscored(null, TextScore.Outcome.MISSING, "no text", labelName);
                continue;
            }
            String normal = tokenizer.normalize(text);
            if (normal.isEmpty()) {
                out[n] = TextScore.unscored(text, TextScore.Outcome.EMPTY, "the text is blank", labelName);
                continue;
            }
            int characters = normal.codePointCount(0, normal.length());
            if (characters > length) {
                out[n] = TextScore.unscored(text, TextScore.Outcome.TOO_LONG, "the text has " + characters
                        + " characters, the model's rows " + length, labelName);
                continue;
            }
            try {
                tokenizer.encode(normal, ids, encodable.size() * length);
            } catch (IllegalArgumentException e) {
                out[n] = TextScore.unscored(text, TextScore.Outcome.UNENCODABLE, e.getMessage(), labelName);
                continue;
            }
            where[encodable.size()] = n;
            encodable.add(normal);
        }
        int count = encodable.size();
        if (count > 0) {
            int[] rows = Arrays.copyOf(ids, count * length);
            double[] nats = label < 0 ? unconditional.natsPerText(model.tokenizer(), model.denoiser(), model.schedule(), corpus(encodable, rows, null), seed)
                    : conditional.natsPerText(model.tokenizer(), model.denoiser(), model.schedule(), corpus(encodable, rows, filled(count, label)), seed);
            double[][] byLabel = new double[classify ? model.labels().size() : 0][];
            for (int l = 0; l < byLabel.length; l++) {
                byLabel[l] = l == label ? nats
                        : conditional.natsPerText(model.tokenizer(), model.denoiser(), model.schedule(), corpus(encodable, rows, filled(count, l)), seed);
            }
            for (int k = 0; k < count; k++) {
                String normal = encodable.get(k);
                double bits = nats[k] / ((normal.codePointCount(0, normal.length()) + 1) * Math.log(2));
                String likeliest = null;
                double share = Double.NaN;
                if (byLabel.length > 0) {
                    // softmax of −NELBO over the labels, equal priors
                    int best = 0;
                    for (int l = 1; l < byLabel.length; l++) {
                        if (byLabel[l][k] < byLabel[best][k]) {
                            best = l;
                        }
                    }
                    double sum = 0;
                    for (double[] labelNats : byLabel) {
                        sum += Math.exp(byLabel[best][k] - labelNats[k]);
                    }
                    likeliest = model.labels().get(best);
                    share = 1 / sum;
                }
                out[where[k]] = new TextScore(texts.get(where[k]), TextScore.Outcome.SCORED, null, nats[k], bits,
                        labelName, likeliest, share);
            }
        }
        return List.of(out);
    }

    private static int[] filled(int count, int label) {
        int[] labels = new int[count];
        Arrays.fill(labels, label);
        return labels;
    }

    private EncodedCorpus corpus(List<String> texts, int[] rows, int[] labels) {
        return new EncodedCorpus(texts, rows, model.tokenizer().maxLength(), 0, labels);
    }

    /** {@return the label texts are scored under, or null for the unconditional score} */
    public String label() {
        return label < 0 ? null : model.labels().get(label);
    }

    /** {@return whether each text's likeliest label is found too} */
    public boolean classifies() {
        return classify;
    }

    /** Sets up a scoring; every value is checked by {@link #build()}. */
    public static final class Builder {
        private final DiffusionModel model;
        private int nodes = Nelbo.DEFAULT_NODES;
        private int maskDraws = Nelbo.DEFAULT_MASK_DRAWS;
        private int threads = Parallel.defaultThreads();
        private long seed = RandomStreams.DEFAULT_SEED;
        private String label;
        private Boolean classify;

        Builder(DiffusionModel model) {
            this.model = model;
        }

        /**
         * Quadrature nodes over t ({@value Nelbo#DEFAULT_NODES}), as the corpus figure's.
         *
         * @param value quadrature nodes over t
         * @return this builder
         */
        public Builder nodes(int value) {
            nodes = value;
            return this;
        }

        /**
         * Mask draws per text and node (1); more lower each score's Monte Carlo error.
         *
         * @param value mask draws per text and node
         * @return this builder
         */
        public Builder maskDraws(int value) {
            maskDraws = value;
            return this;
        }

        /**
         * Threads (default: the available processors); the scores do not depend on it.
         *
         * @param value the thread count
         * @return this builder
         */
        public Builder threads(int value) {
            threads = value;
            return this;
        }

        /**
         * The seed of the masks (1).
         *
         * @param value the seed of the masks
         * @return this builder
         */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /**
         * Score under this label of a conditional model (default: the unconditional score).
         *
         * @param value the label
         * @return this builder
         */
        public Builder label(String value) {
            if (value == null) {
                throw new NullPointerException("label");
            }
            label = value;
            return this;
        }

        /**
         * Whether to find each text's likeliest label (default: true for a labelled model).
         *
         * @param value whether to find each text's likeliest label
         * @return this builder
         */
        public Builder classify(boolean value) {
            classify = value;
            return this;
        }

        /**
         * Checks every setting and makes the request.
         *
         * @throws IllegalArgumentException naming the setting at fault and why
         * @return the request
         */
        public Scoring build() {
            int labelId = label == null ? -1 : model.labelId(label);
            boolean labelled = !model.labels().isEmpty();
            if (Boolean.TRUE.equals(classify) && !labelled) {
                throw new IllegalArgumentException("classify needs a labelled model; this one has no labels");
            }
            NelboEvaluator plain = new NelboEvaluator(nodes, maskDraws, threads, false);
            NelboEvaluator given = new NelboEvaluator(nodes, maskDraws, threads, true);
            return new Scoring(model, plain, given, seed, labelId, classify != null ? classify : labelled);
        }

        /**
         * {@link #build()} and {@link Scoring#score(List)} in one call.
         *
         * @param texts the texts
         * @return one score per text
         */
        public List<TextScore> score(List<String> texts) {
            return build().score(texts);
        }
    }
}
