package dev.microdiffusion.core.evaluation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How generated texts compare with real ones: fractions empty, unique and novel (not in the training texts), the
 * length histograms of samples and data, and the per-character negative log-likelihood of the samples under a
 * Kneser–Ney n-gram model fitted on the training texts, with held-out real texts' figure beside it as the reference
 * point (samples scoring far above it read unlike the data; far below, repetitive).
 *
 * @param lengthsSamples fraction of samples of each length 0..maxLength
 * @param lengthsData    the same for the training texts
 * @param samplesNatsPerChar the samples' n-gram NLL, nats per character (end counted)
 * @param heldOutNatsPerChar held-out real texts' n-gram NLL
 */
public record SampleQuality(int samples, double emptyFraction, double uniqueFraction, double novelFraction,
        double meanLength, double dataMeanLength, double[] lengthsSamples, double[] lengthsData, int ngramOrder,
        double samplesNatsPerChar, double heldOutNatsPerChar) {

    /**
     * Judges generated texts against the training and held-out texts.
     *
     * @param samples generated texts
     * @param train the training texts (novelty counts against them)
     * @param heldOut held-out real texts, the reference figures
     * @param ngram the n-gram scorer, fitted on the training texts
     * @param maxLength the row length (for the length histograms)
     * @return the figures
     */
    public static SampleQuality of(List<String> samples, List<String> train, List<String> heldOut, KneserNeyModel ngram,
            int maxLength) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to judge");
        }
        Set<String> known = new HashSet<>(train);
        long empty = samples.stream().filter(String::isEmpty).count();
        long novel = samples.stream().filter(s -> !known.contains(s)).count();
        double n = samples.size();
        return new SampleQuality(samples.size(), empty / n, new HashSet<>(samples).size() / n, novel / n,
                meanLength(samples), meanLength(train), histogram(samples, maxLength), histogram(train, maxLength),
                ngram.order(), ngram.natsPerCharacter(samples),
                heldOut.isEmpty() ? Double.NaN : ngram.natsPerCharacter(heldOut));
    }

    private static double meanLength(List<String> texts) {
        return texts.stream().mapToInt(String::length).average().orElse(0);
    }

    static double[] histogram(List<String> texts, int maxLength) {
        double[] h = new double[maxLength + 1];
        for (String t : texts) {
            h[Math.min(t.length(), maxLength)] += 1.0 / texts.size();
        }
        return h;
    }
}
