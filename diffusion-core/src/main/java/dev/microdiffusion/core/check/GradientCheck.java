package dev.microdiffusion.core.check;

import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Checks a denoiser's backward pass against central finite differences, for authors of denoisers and their tests.
 * The loss is Σ c·logits with fixed random c, so dLoss/dLogits = c and only backward itself is under test.
 * Use small models: every checked entry costs three forward passes.
 *
 * <p>Where the step crosses a kink (a ReLU at zero) no finite difference is valid: such entries, found by their
 * one-sided differences disagreeing, are skipped and counted, not compared. A wrong gradient does not make the loss
 * itself kinked, so skipping them hides no error.
 */
public final class GradientCheck {

    /** One gradient entry that disagrees with its finite difference. */
    public record Mismatch(String parameter, int index, double analytic, double numeric) {
        @Override
        public String toString() {
            return parameter + "[" + index + "]: backward " + analytic + ", finite difference " + numeric;
        }
    }

    /**
     * What was compared.
     *
     * @param checked    entries compared
     * @param skipped    entries where the loss is not smooth within the step, not compared
     * @param mismatches entries outside the tolerance
     */
    public record Report(int checked, int skipped, List<Mismatch> mismatches) {
        /**
         * No mismatch among the compared entries; see {@link #skippedFraction()} for how many were compared.
         *
         * @return whether the check passed
         */
        public boolean passed() {
            return mismatches.isEmpty();
        }

        /** {@return the share of entries not compared (too small for a finite difference to resolve)} */
        public double skippedFraction() {
            return checked + skipped == 0 ? 0 : (double) skipped / (checked + skipped);
        }

        @Override
        public String toString() {
            return checked + " entries checked, " + skipped + " skipped at kinks, " + mismatches.size() + " mismatches"
                    + (mismatches.isEmpty() ? "" : ": " + mismatches.subList(0, Math.min(5, mismatches.size())));
        }
    }

    private final double step;
    private final double absoluteTolerance;
    private final double relativeTolerance;
    private final int maxPerParameter;

    /**
     * @param step              the finite-difference step h (e.g. 1e-3 for float parameters of order 1)
     * @param absoluteTolerance allowed |analytic − numeric| …
     * @param relativeTolerance … plus this fraction of |numeric|
     * @param maxPerParameter   entries checked per parameter, chosen at random when it has more
     */
    public GradientCheck(double step, double absoluteTolerance, double relativeTolerance, int maxPerParameter) {
        this.step = step;
        this.absoluteTolerance = absoluteTolerance;
        this.relativeTolerance = relativeTolerance;
        this.maxPerParameter = maxPerParameter;
    }

    /**
     * Defaults that suit float32 models with parameters of order 1: h = 1e-3, tolerance 2e-3 + 1 %.
     *
     * @return the check with its defaults
     */
    public static GradientCheck defaults() {
        return new GradientCheck(1e-3, 2e-3, 1e-2, Integer.MAX_VALUE);
    }

    /**
     * Compares every parameter's backward gradient with central finite differences of a seeded random loss.
     *
     * @param denoiser the denoiser under test
     * @param tokens [batch, L] ids
     * @param times one t per row
     * @param batch rows
     * @param seed the seed of the loss's random weights and of the entries compared
     * @return what was compared and the worst mismatch
     */
    public Report run(Denoiser denoiser, int[] tokens, float[] times, int batch, long seed) {
        return run(denoiser, tokens, times, null, batch, seed);
    }

    /**
     * As {@link #run(Denoiser, int[], float[], int, long)} with a label per row (−1: the null label).
     *
     * @param denoiser the denoiser under test
     * @param tokens [batch, L] ids
     * @param times one t per row
     * @param labels one label id per row (−1: none)
     * @param batch rows
     * @param seed the seed of the loss's random weights and of the entries compared
     * @return what was compared and the worst mismatch
     */
    public Report run(Denoiser denoiser, int[] tokens, float[] times, int[] labels, int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int cells = batch * denoiser.maxLength() * denoiser.vocabSize();
        float[] c = new float[cells];
        for (int i = 0; i < cells; i++) {
            c[i] = (float) (random.nextDouble() * 2 - 1);
        }
        Denoiser.Pass pass = denoiser.newPass(batch);
        float[] logits = new float[cells];
        pass.forward(tokens, times, labels, batch, logits);
        List<Parameter> parameters = denoiser.parameters();
        float[][] gradients = new float[parameters.size()][];
        for (int i = 0; i < gradients.length; i++) {
            gradients[i] = new float[parameters.get(i).size()];
        }
        pass.backward(c, Gradients.of(parameters, gradients));

        double base = loss(pass, tokens, times, labels, batch, c, logits);
        List<Mismatch> mismatches = new ArrayList<>();
        int checked = 0;
        int skipped = 0;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            float[] w = parameter.values();
            int count = Math.min(maxPerParameter, w.length);
            for (int n = 0; n < count; n++) {
                int i = count == w.length ? n : random.nextInt(w.length);
                float saved = w[i];
                w[i] = (float) (saved + step);
                double plus = loss(pass, tokens, times, labels, batch, c, logits);
                w[i] = (float) (saved - step);
                double minus = loss(pass, tokens, times, labels, batch, c, logits);
                w[i] = saved;
                double numeric = (plus - minus) / (2 * step);
                double forward = (plus - base) / step;
                double backward = (base - minus) / step;
                if (Math.abs(forward - backward) > absoluteTolerance + relativeTolerance * Math.abs(numeric)) {
                    skipped++;
                    continue;
                }
                double analytic = gradients[p][i];
                if (!(Math.abs(analytic - numeric) <= absoluteTolerance + relativeTolerance * Math.abs(numeric))) {
                    mismatches.add(new Mismatch(parameter.name(), i, analytic, numeric));
                }
                checked++;
            }
        }
        return new Report(checked, skipped, mismatches);
    }

    private static double loss(Denoiser.Pass pass, int[] tokens, float[] times, int[] labels, int batch, float[] c,
            float[] logits) {
        pass.forward(tokens, times, labels, batch, logits);
        double sum = 0;
        for (int i = 0; i < c.length; i++) {
            sum += (double) c[i] * logits[i];
        }
        return sum;
    }
}
