package dev.microdiffusion.core.training;

import dev.microdiffusion.core.Denoiser;
import dev.microdiffusion.core.EncodedCorpus;
import dev.microdiffusion.core.ForwardProcess;
import dev.microdiffusion.core.NoiseSchedule;
import dev.microdiffusion.core.Parameter;
import dev.microdiffusion.core.RandomStreams;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.math.Softmax;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The reference's training loop. Each step: one k ~ U{1..T} for the batch, rows drawn from the corpus with
 * replacement, every token masked with probability rate(k/T), and the loss is the cross-entropy of x0 at every
 * position (masked, visible and PAD alike) averaged over B·L; then element-wise clipping and an Adam step.
 *
 * <p>Randomness comes from the streams "data" (which rows) and "mask" (k and the masks), so a seed fixes the run;
 * a {@link TrainingState} holds them, with the optimiser, so that a run can stop, be saved and resume exactly.
 */
public final class Trainer {

    private final Denoiser denoiser;
    private final ForwardProcess forward;
    private final TrainingConfig config;
    private final int diffusionSteps;
    private final MatrixKernel kernel = MatrixKernels.preferred();

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

    /** Trains from scratch for the whole run. */
    public TrainingResult train(EncodedCorpus corpus, RandomStreams random, TrainingListener listener) {
        return run(corpus, start(corpus, random), listener, 0, state -> { });
    }

    /** The state of a run that has not started: fresh optimiser, the seed's "data" and "mask" streams. */
    public TrainingState start(EncodedCorpus corpus, RandomStreams random) {
        return new TrainingState(config, AdamOptimizer.of(denoiser.parameters(), config), random.stream("data"),
                random.stream("mask"), random.seed(), fingerprint(corpus));
    }

    /**
     * Runs from the state's step to the end of the run, updating the state as it goes.
     *
     * @param saveEvery call {@code save} after every this many steps (and never when 0); the caller writes a
     *                  checkpoint there
     */
    public TrainingResult run(EncodedCorpus corpus, TrainingState state, TrainingListener listener, int saveEvery,
            Consumer<TrainingState> save) {
        Session session = session(corpus, state);
        long start = System.nanoTime();
        int first = state.step();
        while (!state.finished()) {
            int step = state.step();
            double loss = session.step();
            listener.onStep(step, config.steps(), loss, session.lastTime());
            if (saveEvery > 0 && state.step() % saveEvery == 0) {
                save.accept(state);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainingResult(state.losses(), seconds, state.step() - first);
    }

    /** The buffers of training steps on one corpus and state, made once; {@link Session#step()} takes one step. */
    public Session session(EncodedCorpus corpus, TrainingState state) {
        return new Session(corpus, state);
    }

    /** Takes training steps with buffers made once; allocates nothing per step. Not thread-safe. */
    public final class Session {
        private final EncodedCorpus corpus;
        private final TrainingState state;
        private final Denoiser.Pass pass;
        private final List<Parameter> parameters;
        private final float[][] gradients;
        private final int[] clean;
        private final int[] noisy;
        private final float[] times;
        private final float[] logits;
        private final float[] dLogits;
        private double lastTime;

        private Session(EncodedCorpus corpus, TrainingState state) {
            if (corpus.length() != denoiser.maxLength()) {
                throw new IllegalArgumentException("corpus rows have " + corpus.length()
                        + " tokens, the denoiser expects " + denoiser.maxLength());
            }
            if (corpus.size() == 0) {
                throw new IllegalArgumentException("the corpus is empty");
            }
            if (state.corpusFingerprint() != fingerprint(corpus)) {
                throw new IllegalArgumentException("this training state was made on another corpus (" + corpus.size()
                        + " rows now); resume on the same data");
            }
            if (!state.config().equals(config)
                    || state.optimizer().parameters().size() != denoiser.parameters().size()) {
                throw new IllegalArgumentException("this training state belongs to another recipe or model");
            }
            this.corpus = corpus;
            this.state = state;
            int cells = config.batchSize() * corpus.length();
            this.pass = denoiser.newPass(config.batchSize());
            this.parameters = denoiser.parameters();
            this.gradients = new float[parameters.size()][];
            for (int i = 0; i < gradients.length; i++) {
                gradients[i] = parameters.get(i).gradient();
            }
            this.clean = new int[cells];
            this.noisy = new int[cells];
            this.times = new float[config.batchSize()];
            this.logits = new float[cells * denoiser.vocabSize()];
            this.dLogits = new float[cells * denoiser.vocabSize()];
        }

        /**
         * One step: draw k and a batch, mask it, forward, loss, backward, clip, Adam.
         *
         * @return the batch's loss
         * @throws TrainingDivergedException if the loss is not finite
         * @throws IllegalStateException     if the run is already complete
         */
        public double step() {
            if (state.finished()) {
                throw new IllegalStateException("the run's " + config.steps() + " steps are done");
            }
            int step = state.step();
            int batch = config.batchSize();
            int length = corpus.length();
            int vocab = denoiser.vocabSize();
            int cells = batch * length;
            UniformRandomProvider data = state.dataRandom();
            UniformRandomProvider masks = state.maskRandom();

            int k = 1 + masks.nextInt(diffusionSteps);
            double t = (double) k / diffusionSteps;
            int[] corpusIds = corpus.ids();
            for (int b = 0; b < batch; b++) {
                int row = data.nextInt(corpus.size());
                System.arraycopy(corpusIds, row * length, clean, b * length, length);
            }
            forward.mask(clean, noisy, 0, cells, t, masks);
            Arrays.fill(times, (float) t);

            pass.forward(noisy, times, batch, logits);
            float scale = 1f / cells;
            double loss = 0;
            for (int c = 0; c < cells; c++) {
                loss += Softmax.crossEntropy(kernel, logits, c * vocab, vocab, clean[c], scale, dLogits);
            }
            loss /= cells;
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(step, loss);
            }
            for (int i = 0; i < parameters.size(); i++) {
                parameters.get(i).zeroGradient();
            }
            pass.backward(dLogits, gradients);
            clip(parameters);
            state.optimizer().step(config.learningRateAt(step));
            state.record(loss);
            lastTime = t;
            return loss;
        }

        /** The diffusion time of the last step's batch. */
        public double lastTime() {
            return lastTime;
        }

        public TrainingState state() {
            return state;
        }
    }

    /** Identifies a corpus by its size and ids, so a state is not resumed on other data. */
    public static long fingerprint(EncodedCorpus corpus) {
        long h = 1125899906842597L ^ corpus.size() ^ ((long) corpus.length() << 32);
        for (int id : corpus.ids()) {
            h = 31 * h + id;
        }
        return h;
    }

    private void clip(List<Parameter> parameters) {
        float bound = (float) config.clipValue();
        for (int n = 0; n < parameters.size(); n++) {
            Parameter p = parameters.get(n);
            if (config.clip().clips(p)) {
                float[] g = p.gradient();
                for (int i = 0; i < g.length; i++) {
                    g[i] = Math.max(-bound, Math.min(bound, g[i]));
                }
            }
        }
    }
}
