package dev.microdiffusion.core.internal.sampling;

import dev.microdiffusion.core.sampling.Canvas;
import dev.microdiffusion.core.sampling.RowRandom;
import dev.microdiffusion.core.sampling.SamplingOptions;
import dev.microdiffusion.core.sampling.StepObserver;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.Sampler;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * ReMDM's remasking sampler (Wang et al., 2025, the "cap" schedule): the ancestral step from t to s, except that a
 * position the sampler has revealed may be masked again, with probability σ = min(η, (1 − α(s))/α(t)) while t lies
 * in the window [to, from] (0 outside it), so that an early mistake can be undone later. To keep the marginals of the
 * forward process, a masked position is then revealed with probability (α(s) − (1 − σ)·α(t))/(1 − α(t)); at the last
 * step σ = 0 and every position is revealed. Positions fixed by a template are never masked. Unlike the ancestral
 * sampler, a row keeps being revised until the last step inside the window even when nothing in it is masked. With
 * η = 0 it is the ancestral sampler.
 */
public final class RemdmSampler implements Sampler {

    /** Remasking probability cap η when none is set (ReMDM's). */
    public static final double DEFAULT_ETA = 0.02;
    /** The window's upper and lower times when none are set (ReMDM's t_on and t_off). */
    public static final double DEFAULT_FROM = 0.55;
    public static final double DEFAULT_TO = 0.05;

    private final double eta;
    private final double from;
    private final double to;
    private final SamplerWorkspace work = new SamplerWorkspace();
    /** Cells the sampler may change (MASK at the start), by canvas cell. */
    private boolean[] free = new boolean[0];
    private int[] rows = new int[0];
    /** The rows of a step that reveal something: the model call's. */
    private int[] revealing = new int[0];
    private int[] reveals = new int[0];
    private int[] firstOf = new int[0];
    private int[] remasks = new int[0];
    private int[] remaskFirst = new int[0];

    public RemdmSampler(double eta, double from, double to) {
        if (!(eta >= 0 && eta <= 1) || !(to >= 0 && to <= from && from <= 1)) {
            throw new IllegalArgumentException("sampler remdm: eta must be in [0, 1] and 0 ≤ to ≤ from ≤ 1, got eta "
                    + eta + ", from " + from + ", to " + to);
        }
        this.eta = eta;
        this.from = from;
        this.to = to;
    }

    @Override
    public void sample(Canvas canvas, Denoiser.Pass pass, NoiseSchedule schedule, SamplingOptions options,
            RowRandom random, StepObserver observer) {
        work.begin(canvas, pass, options.guidance());
        int length = canvas.length();
        int cells = canvas.capacity() * length;
        if (free.length < cells) {
            free = new boolean[cells];
            reveals = new int[cells];
            remasks = new int[cells];
        }
        if (rows.length < canvas.capacity()) {
            rows = new int[canvas.capacity()];
            revealing = new int[canvas.capacity()];
            firstOf = new int[canvas.capacity() + 1];
            remaskFirst = new int[canvas.capacity() + 1];
        }
        int[] tokens = canvas.tokens();
        int mask = canvas.maskId();
        for (int r = 0; r < canvas.rows(); r++) {
            for (int i = 0; i < length; i++) {
                free[r * length + i] = canvas.isOpen(r, i);
            }
        }
        int steps = options.steps();
        for (int k = options.firstStep(); k >= 1; k--) {
            double t = (double) k / steps;
            double alphaT = 1 - schedule.rate(k, steps);
            double alphaS = k == 1 ? 1 : 1 - schedule.rate(k - 1, steps);
            double sigma = t >= to && t <= from && alphaT > 0 ? Math.min(eta, (1 - alphaS) / alphaT) : 0;
            // without remasking, exactly the ancestral sampler's probability (so η = 0 draws as it does)
            double reveal = sigma == 0 ? 1 - StepwiseSampler.stillMasked(schedule, k, steps)
                    : (alphaS - (1 - sigma) * alphaT) / (1 - alphaT);
            if (sigma == 0 && work.openRows(canvas) == 0) {
                break;
            }
            int count = 0;
            int revealCount = 0;
            int remaskCount = 0;
            for (int r = 0; r < canvas.rows(); r++) {
                int revealStart = revealCount;
                int remaskStart = remaskCount;
                UniformRandomProvider stream = random.row(r);
                for (int i = canvas.windowStart(); i < canvas.windowEnd(); i++) {
                    int cell = r * length + i;
                    if (!free[cell]) {
                        continue;
                    }
                    if (tokens[cell] == mask) {
                        if (reveal >= 1 || stream.nextDouble() < reveal) {
                            reveals[revealCount++] = cell;
                        }
                    } else if (sigma > 0 && stream.nextDouble() < sigma) {
                        remasks[remaskCount++] = cell;
                    }
                }
                if (revealCount > revealStart || remaskCount > remaskStart) {
                    firstOf[count] = revealStart;
                    remaskFirst[count] = remaskStart;
                    rows[count++] = r;
                }
            }
            firstOf[count] = revealCount;
            remaskFirst[count] = remaskCount;
            if (revealCount > 0) {
                // the model sees z_t: every row that reveals, before this step's remasking
                int needing = 0;
                for (int a = 0; a < count; a++) {
                    if (firstOf[a + 1] > firstOf[a]) {
                        revealing[needing++] = rows[a];
                    }
                }
                work.evaluate(canvas, pass, t, revealing, needing, true);
                for (int a = 0; a < count; a++) {
                    int r = rows[a];
                    UniformRandomProvider stream = random.row(r);
                    for (int c = firstOf[a]; c < firstOf[a + 1]; c++) {
                        tokens[reveals[c]] = work.draw(canvas, r, reveals[c] - r * length, options, stream);
                    }
                }
            }
            for (int c = 0; c < remaskCount; c++) {
                tokens[remasks[c]] = mask;
            }
            observer.afterStep(k, steps, canvas);
        }
    }
}
