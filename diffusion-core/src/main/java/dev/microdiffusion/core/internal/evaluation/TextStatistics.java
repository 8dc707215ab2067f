package dev.microdiffusion.core.internal.evaluation;

/** The figures a per-text evaluation reports: a mean's standard error, and nats per text to bits per symbol. */
final class TextStatistics {

    private TextStatistics() {
    }

    /** The standard error of {@code mean}, the mean of {@code values} (0 for a single value). */
    static double standardError(double[] values, double mean) {
        double variance = 0;
        for (double e : values) {
            variance += (e - mean) * (e - mean);
        }
        variance = values.length > 1 ? variance / (values.length - 1) : 0;
        return Math.sqrt(variance / values.length);
    }

    /** The factor turning nats per text into bits per symbol, for {@code texts} texts of {@code symbols} in all. */
    static double bitsPerSymbol(int texts, long symbols) {
        return texts / (symbols * Math.log(2));
    }
}
