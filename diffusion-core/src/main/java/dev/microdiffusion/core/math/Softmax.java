package dev.microdiffusion.core.math;

/** Softmax and cross-entropy over rows of logits, computed in double with the max subtracted first. */
public final class Softmax {

    private Softmax() {
    }

    /**
     * p = softmax(logits[offset .. offset + n) / temperature) into {@code probabilities[0 .. n)}.
     *
     * @return the largest probability
     */
    public static double probabilities(float[] logits, int offset, int n, double temperature, double[] probabilities) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp((logits[offset + i] - max) / temperature);
            probabilities[i] = e;
            sum += e;
        }
        double top = 0;
        for (int i = 0; i < n; i++) {
            double p = probabilities[i] / sum;
            probabilities[i] = p;
            top = Math.max(top, p);
        }
        return top;
    }

    /**
     * Cross-entropy −log softmax(logits)[target] of one row, and its gradient (p − onehot(target)) · scale written
     * to {@code gradient[offset .. offset + n)}.
     */
    public static double crossEntropy(float[] logits, int offset, int n, int target, float scale, float[] gradient) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        double logSum = Math.log(sum);
        for (int i = 0; i < n; i++) {
            double p = Math.exp(logits[offset + i] - max - logSum);
            gradient[offset + i] = (float) ((i == target ? p - 1.0 : p) * scale);
        }
        return logSum - (logits[offset + target] - max);
    }
}
