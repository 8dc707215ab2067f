package dev.microdiffusion.core.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A character n-gram model with interpolated Kneser–Ney smoothing (Chen and Goodman's form, one absolute discount D
 * per order), fitted on texts: each text is read as its characters then an end symbol, after n−1 start symbols.
 *
 * <pre>
 *   P_k(w | h) = max(c_k(h w) − D, 0) / c_k(h ·)  +  D · N₁₊(h ·) / c_k(h ·) · P_{k−1}(w | h′)
 *   P_0(w)     = 1 / |alphabet|
 * </pre>
 * where h′ drops h's first character, c_n are raw counts at the highest order and c_k (k &lt; n) continuation counts
 * (the number of distinct characters seen before the k-gram); a context never seen defers to the lower order.
 */
public final class KneserNeyModel {

    /** The n-gram order the project's sample quality figures use. */
    public static final int DEFAULT_ORDER = 4;
    /** The absolute discount of every order. */
    public static final double DEFAULT_DISCOUNT = 0.75;

    private static final char START = '\u0002';
    private static final char END = '\u0003';

    private final int order;
    private final double discount;
    private final int alphabet;
    // per order k = 1..n: counts of k-grams, and per (k−1)-gram context its total count and number of distinct next
    private final List<Map<String, Integer>> grams;
    private final List<Map<String, Integer>> contextTotals;
    private final List<Map<String, Integer>> contextTypes;

    /**
     * A {@value #DEFAULT_ORDER}-gram model with discount {@value #DEFAULT_DISCOUNT}, fitted on {@code texts}.
     *
     * @param texts the training texts
     */
    public KneserNeyModel(List<String> texts) {
        this(texts, DEFAULT_ORDER, DEFAULT_DISCOUNT);
    }

    /**
     * An interpolated Kneser–Ney model of characters fitted on {@code texts}.
     *
     * @param texts the training texts
     * @param order the n-gram order, at least 1
     * @param discount the absolute discount, in (0, 1)
     */
    public KneserNeyModel(List<String> texts, int order, double discount) {
        if (order < 1 || !(discount > 0 && discount < 1)) {
            throw new IllegalArgumentException("order must be ≥ 1 and discount in (0, 1), got " + order + ", " + discount);
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to fit an n-gram model on");
        }
        this.order = order;
        this.discount = discount;
        Set<Character> symbols = new HashSet<>();
        symbols.add(END);
        Map<String, Integer> top = new HashMap<>();
        for (String text : texts) {
            String padded = pad(text);
            for (int i = order - 1; i < padded.length(); i++) {
                symbols.add(padded.charAt(i));
                top.merge(padded.substring(i - order + 1, i + 1), 1, Integer::sum);
            }
        }
        this.alphabet = symbols.size();
        this.grams = new ArrayList<>();
        for (int k = 0; k <= order; k++) {
            grams.add(new HashMap<>());
        }
        grams.set(order, top);
        for (int k = order - 1; k >= 1; k--) {
            Map<String, Integer> continuation = new HashMap<>();
            // each distinct (k+1)-gram a·g adds one distinct left neighbour to g
            for (String g : grams.get(k + 1).keySet()) {
                continuation.merge(g.substring(1), 1, Integer::sum);
            }
            grams.set(k, continuation);
        }
        this.contextTotals = new ArrayList<>();
        this.contextTypes = new ArrayList<>();
        for (int k = 0; k <= order; k++) {
            Map<String, Integer> totals = new HashMap<>();
            Map<String, Integer> types = new HashMap<>();
            for (Map.Entry<String, Integer> e : grams.get(k).entrySet()) {
                String context = e.getKey().substring(0, k - 1);
                totals.merge(context, e.getValue(), Integer::sum);
                types.merge(context, 1, Integer::sum);
            }
            contextTotals.add(totals);
            contextTypes.add(types);
        }
    }

    private String pad(String text) {
        return String.valueOf(START).repeat(order - 1) + text + END;
    }

    /** {@return the n-gram order} */
    public int order() {
        return order;
    }

    /**
     * P(next | the text so far), {@code next} = the end of the text when null.
     *
     * @param history the text so far
     * @param next the next character, or null for the end
     * @return the probability
     */
    public double probability(String history, Character next) {
        String padded = String.valueOf(START).repeat(order - 1) + history;
        String context = padded.substring(padded.length() - (order - 1));
        return probability(order, context, next == null ? END : next);
    }

    private double probability(int k, String context, char w) {
        if (k == 0) {
            return 1.0 / alphabet;
        }
        double lower = probability(k - 1, k == 1 ? context : context.substring(1), w);
        Integer total = contextTotals.get(k).get(context);
        if (total == null) {
            return lower;
        }
        int count = grams.get(k).getOrDefault(context + w, 0);
        int types = contextTypes.get(k).get(context);
        return Math.max(count - discount, 0) / total + discount * types / total * lower;
    }

    /**
     * −log P(text, then its end), in nats.
     *
     * @param text a text
     * @return its negative log-likelihood
     */
    public double negativeLogLikelihood(String text) {
        String padded = pad(text);
        double nll = 0;
        for (int i = order - 1; i < padded.length(); i++) {
            nll -= Math.log(probability(order, padded.substring(i - order + 1, i), padded.charAt(i)));
        }
        return nll;
    }

    /**
     * Total −log-likelihood over total characters + 1 per text: nats per character, the end counted.
     *
     * @param texts the texts
     * @return nats per character
     */
    public double natsPerCharacter(List<String> texts) {
        double nll = 0;
        long symbols = 0;
        for (String t : texts) {
            nll += negativeLogLikelihood(t);
            symbols += t.length() + 1;
        }
        return symbols == 0 ? Double.NaN : nll / symbols;
    }
}
