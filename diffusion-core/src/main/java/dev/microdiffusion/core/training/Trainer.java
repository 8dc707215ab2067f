package dev.microdiffusion.core.training;

import dev.microdiffusion.core.Denoiser;
import dev.microdiffusion.core.EncodedCorpus;
import dev.microdiffusion.core.ForwardProcess;
import dev.microdiffusion.core.NoiseSchedule;
import dev.microdiffusion.core.Parameter;
import dev.microdiffusion.core.RandomStreams;
import dev.microdiffusion.core.math.Softmax;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The reference's training loop. Each step: one k ~ U{1..T} for the batch, rows drawn from the corpus with
 * replacement, every token masked with probability rate(k/T), and the loss is the cross-entropy of x0 at every
 * position (masked, visible and PAD alike) averaged over B·L; then element-wise clipping and an Adam step.
 *
 * <p>Randomness comes from the streams "data" (which rows) and "mask" (k and the masks), so a seed fixes the run.
 */
public final class Trainer {

    private final Denoiser denoiser;
    private final ForwardProcess forward;
    private final TrainingConfig config;
    private final int diffusionSteps;

    public Trainer(Denoiser denoiser, NoiseSchedule schedule, int maskId, TrainingConfig config) {
        if (maskId < 0 || maskId >= denoiser.vocabSize()) {
            throw new IllegalArgumentException("MASK id " + maskId + " is outside the denoiser's vocabulary of "
                    + denoiser.vocabSize());
        }
        this.denoiser = denoiser;
        this.forward = new ForwardProcess(schedule, maskId);
        this.config = config;
        this.diffusionSteps = config.diffusionSteps();
    }

    public TrainingResult train(EncodedCorpus corpus, RandomStreams random, TrainingListener listener) {
        if (corpus.length() != denoiser.maxLength()) {
            throw new IllegalArgumentException("corpus rows have " + corpus.length() + " tokens, the denoiser expects "
                    + denoiser.maxLength());
        }
        if (corpus.size() == 0) {
            throw new IllegalArgumentException("the corpus is empty");
        }
        int batch = config.batchSize();
        int length = corpus.length();
        int vocab = denoiser.vocabSize();
        int cells = batch * length;

        Denoiser.Pass pass = denoiser.newPass(batch);
        List<Parameter> parameters = denoiser.parameters();
        float[][] gradients = new float[parameters.size()][];
        for (int i = 0; i < gradients.length; i++) {
            gradients[i] = parameters.get(i).gradient();
        }
        AdamOptimizer optimizer = AdamOptimizer.of(parameters, config);
        UniformRandomProvider data = random.stream("data");
        UniformRandomProvider masks = random.stream("mask");

        int[] clean = new int[cells];
        int[] noisy = new int[cells];
        float[] times = new float[batch];
        float[] logits = new float[cells * vocab];
        float[] dLogits = new float[cells * vocab];
        double[] losses = new double[config.steps()];
        float scale = 1f / cells;
        int[] corpusIds = corpus.ids();

        long start = System.nanoTime();
        for (int step = 0; step < config.steps(); step++) {
            int k = 1 + masks.nextInt(diffusionSteps);
            double t = (double) k / diffusionSteps;
            for (int b = 0; b < batch; b++) {
                int row = data.nextInt(corpus.size());
                System.arraycopy(corpusIds, row * length, clean, b * length, length);
            }
            forward.mask(clean, noisy, 0, cells, t, masks);
            Arrays.fill(times, (float) t);

            pass.forward(noisy, times, batch, logits);
            double loss = 0;
            for (int c = 0; c < cells; c++) {
                loss += Softmax.crossEntropy(logits, c * vocab, vocab, clean[c], scale, dLogits);
            }
            loss /= cells;
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(step, loss);
            }
            losses[step] = loss;

            for (Parameter p : parameters) {
                p.zeroGradient();
            }
            pass.backward(dLogits, gradients);
            clip(parameters);
            optimizer.step(config.learningRateAt(step));
            listener.onStep(step, config.steps(), loss, t);
        }
        return new TrainingResult(losses, (System.nanoTime() - start) / 1e9);
    }

    private void clip(List<Parameter> parameters) {
        float bound = (float) config.clipValue();
        for (Parameter p : parameters) {
            if (config.clip().clips(p)) {
                float[] g = p.gradient();
                for (int i = 0; i < g.length; i++) {
                    g[i] = Math.max(-bound, Math.min(bound, g[i]));
                }
            }
        }
    }
}
