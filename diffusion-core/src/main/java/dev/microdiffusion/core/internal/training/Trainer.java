package dev.microdiffusion.core.internal.training;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.internal.RowStreams;
import dev.microdiffusion.core.math.MatrixKernel;
import dev.microdiffusion.core.math.MatrixKernels;
import dev.microdiffusion.core.nn.Softmax;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.ForwardProcess;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.Parameter;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.training.Objective;
import dev.microdiffusion.core.training.TimeDraw;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingDivergedException;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.core.training.TrainingResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The training loop. Each step: rows drawn from the corpus with replacement, times drawn and tokens masked, the loss
 * of the recipe's {@link Objective} (the reference's: one k ~ U{1..T} for the batch, every token masked with
 * probability rate(k/T), cross-entropy of x0 at every position averaged over B·L; or MDLM's, a time per row and a
 * weighted cross-entropy at masked positions only), then element-wise clipping and an Adam step.
 *
 * <p>Randomness comes from the streams "data" (which rows) and "mask" (k and the masks), so a seed fixes the run;
 * a {@link TrainingState} holds them, with the optimiser, so that a run can stop, be saved and resume exactly. A
 * denoiser's training-only randomness (dropout) draws from streams keyed by each row's place in the run ("dropout"
 * item step·B + b), which need no saving and do not depend on the thread count.
 */
public final class Trainer {

    private final Denoiser denoiser;
    private final ForwardProcess forward;
    private final TrainingConfig config;
    private final int diffusionSteps;
    private final NoiseSchedule schedule;
    private final int maskId;
    private final boolean mdlm;
    private final MatrixKernel kernel = MatrixKernels.preferred();

    /** Batches are split into this many shards, whatever the thread count, so results never depend on threads. */
    public static final int SHARDS = 2;
    /** The purpose of the keys a batch row's training-only draws (dropout) are seeded from. */
    static final String TRAINING_DRAWS = "dropout";

    private final int threads;
    /**
     * A batch loss above this has exploded: a uniform guess costs ln V nats per position, and no step of a run that
     * learns comes within orders of magnitude of a thousand times that (the MDLM weights average to a few units).
     */
    private final double explodedLoss;

    /** A trainer on one thread. */
    public Trainer(Denoiser denoiser, NoiseSchedule schedule, int maskId, TrainingConfig config) {
        this(denoiser, schedule, maskId, config, 1);
    }

    /**
     * A trainer whose steps run the batch's {@value #SHARDS} shards on up to {@code threads} threads; the weights and
     * losses are bit-identical for any thread count.
     */
    public Trainer(Denoiser denoiser, NoiseSchedule schedule, int maskId, TrainingConfig config, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        this.threads = threads;
        this.explodedLoss = 1000 * Math.log(denoiser.vocabSize());
        if (maskId < 0 || maskId >= denoiser.vocabSize()) {
            throw new IllegalArgumentException("MASK id " + maskId + " is outside the denoiser's vocabulary of "
                    + denoiser.vocabSize());
        }
        this.denoiser = denoiser;
        this.forward = new ForwardProcess(schedule, maskId);
        this.schedule = schedule;
        this.maskId = maskId;
        this.mdlm = config.objective() == Objective.MDLM;
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
        try (Session session = session(corpus, state)) {
            state.showRaw();
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
        } finally {
            state.showAverage();
        }
    }

    /** The buffers of training steps on one corpus and state, made once; {@link Session#step()} takes one step. */
    public Session session(EncodedCorpus corpus, TrainingState state) {
        return new Session(corpus, state);
    }

    /**
     * Takes training steps with buffers made once. The batch is split into {@value #SHARDS} shards of consecutive
     * rows, each with its own pass and gradient buffers; shards run on the session's threads and their gradients and
     * losses are added in shard order. Not thread-safe; close it to stop its threads.
     */
    public final class Session implements AutoCloseable {
        private final EncodedCorpus corpus;
        private final TrainingState state;
        private final List<Parameter> parameters;
        private final Shard[] shards;
        private final int[] clean;
        private final int[] noisy;
        private final float[] rowTimes;
        private final float[] rowWeights;
        /** Each row's label, −1 when dropped (the null label); null for an unlabelled corpus. */
        private final int[] rowLabels;
        private final ExecutorService pool;
        private final List<Callable<Void>> tasks = new ArrayList<>();
        /** Per worker, the parameters it updates after the shards (balanced by size). */
        private final List<Callable<Void>> updates = new ArrayList<>();
        private float averageDecay;
        private double lastTime;
        /** The keys of the batch rows' training-only draws (dropout): "dropout" item step·B + b of the run's seed. */
        private final RandomStreams trainingDraws;

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
            this.trainingDraws = new RandomStreams(state.seed());
            this.parameters = denoiser.parameters();
            int batch = config.batchSize();
            int count = Math.min(SHARDS, batch);
            if (corpus.isLabelled() && denoiser.labels() == 0) {
                throw new IllegalArgumentException("the corpus is labelled, the denoiser takes no labels");
            }
            // before the shards, which keep label buffers only when there are labels
            this.rowLabels = corpus.isLabelled() ? new int[batch] : null;
            this.shards = new Shard[count];
            for (int s = 0; s < count; s++) {
                shards[s] = new Shard(s * batch / count, (s + 1) * batch / count, s == 0);
            }
            this.clean = new int[batch * corpus.length()];
            this.noisy = new int[batch * corpus.length()];
            this.rowTimes = new float[batch];
            this.rowWeights = new float[batch];
            int workers = Math.min(threads, count);
            this.pool = workers > 1 ? Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "microdiffusion-trainer");
                t.setDaemon(true);
                return t;
            }) : null;
            for (int w = 0; w < workers; w++) {
                int worker = w;
                tasks.add(() -> {
                    for (int s = worker; s < shards.length; s += workers) {
                        shards[s].run();
                    }
                    return null;
                });
            }
            if (workers > 1) {
                for (int[] share : shares(parameters, workers)) {
                    updates.add(() -> {
                        for (int i : share) {
                            update(i);
                        }
                        return null;
                    });
                }
            }
        }

        /** A shard's rows [from, to) of the batch, with its own buffers; shard 0 writes the parameters' gradients. */
        private final class Shard {
            final int from;
            final int to;
            final Denoiser.Pass pass;
            final Gradients gradients;
            final float[][] gradientArrays;
            final int[] input;
            final int[] target;
            final float[] times;
            final int[] labels;
            final float[] logits;
            final float[] dLogits;
            final float[] shift;
            /** MDLM with MASK the last id: the masked cells' logits without MASK, packed, and their targets. */
            final float[] packedLogits;
            final float[] packedGradient;
            final int[] packedCells;
            final int[] packedTargets;
            final float[] packedScales;
            final float[] packedWeights;
            final boolean first;
            /** The rows' streams for the denoiser's training-only randomness, seeded again every step. */
            final RowStreams rowDraws;
            float scale;
            double loss;

            Shard(int from, int to, boolean first) {
                this.from = from;
                this.to = to;
                this.first = first;
                int rows = to - from;
                int cells = rows * denoiser.maxLength();
                this.pass = denoiser.newPass(rows);
                this.rowDraws = new RowStreams(rows);
                pass.training(rowDraws);
                this.gradientArrays = new float[parameters.size()][];
                for (int i = 0; i < gradientArrays.length; i++) {
                    gradientArrays[i] = first ? parameters.get(i).gradient() : new float[parameters.get(i).size()];
                }
                this.gradients = Gradients.of(parameters, gradientArrays);
                this.input = new int[cells];
                this.target = new int[cells];
                this.times = new float[rows];
                this.labels = rowLabels == null ? null : new int[rows];
                this.logits = new float[cells * denoiser.vocabSize()];
                this.dLogits = new float[cells * denoiser.vocabSize()];
                boolean packed = mdlm && maskId == denoiser.vocabSize() - 1;
                int kept = denoiser.vocabSize() - 1;
                this.shift = !mdlm ? new float[cells * denoiser.vocabSize()] : packed ? new float[cells * kept] : null;
                this.packedLogits = packed ? new float[cells * kept] : null;
                this.packedGradient = packed ? new float[cells * kept] : null;
                this.packedCells = packed ? new int[cells] : null;
                this.packedTargets = packed ? new int[cells] : null;
                this.packedScales = packed ? new float[cells] : null;
                this.packedWeights = packed ? new float[cells] : null;
            }

            void run() {
                int length = denoiser.maxLength();
                int vocab = denoiser.vocabSize();
                int rows = to - from;
                int cells = rows * length;
                System.arraycopy(noisy, from * length, input, 0, cells);
                System.arraycopy(clean, from * length, target, 0, cells);
                System.arraycopy(rowTimes, from, times, 0, rows);
                if (labels == null) {
                    pass.forward(input, times, rows, logits);
                } else {
                    System.arraycopy(rowLabels, from, labels, 0, rows);
                    pass.forward(input, times, labels, rows, logits);
                }
                double sum = 0;
                if (!mdlm) {
                    sum = Softmax.crossEntropyRows(kernel, logits, cells, vocab, target, scale, dLogits, shift);
                } else if (packedLogits != null) {
                    sum = maskedCrossEntropy(cells, length, vocab);
                } else {
                    for (int c = 0; c < cells; c++) {
                        if (input[c] != maskId) {
                            Arrays.fill(dLogits, c * vocab, (c + 1) * vocab, 0f);
                            continue;
                        }
                        float weight = rowWeights[from + c / length];
                        sum += weight * Softmax.crossEntropyExcluding(kernel, logits, c * vocab, vocab, target[c],
                                maskId, scale * weight, dLogits);
                    }
                }
                loss = sum;
                for (float[] g : gradientArrays) {
                    Arrays.fill(g, 0f);
                }
                pass.backward(dLogits, gradients);
            }

            /**
             * MDLM's loss with MASK the last id: the masked cells' logits but MASK's packed into rows, one kernel call
             * for every exponential, the gradients put back (0 at unmasked cells and at MASK). The same bits as
             * {@link Softmax#crossEntropyExcluding} cell by cell.
             */
            double maskedCrossEntropy(int cells, int length, int vocab) {
                int kept = vocab - 1;
                int m = 0;
                for (int c = 0; c < cells; c++) {
                    if (input[c] == maskId) {
                        System.arraycopy(logits, c * vocab, packedLogits, m * kept, kept);
                        float weight = rowWeights[from + c / length];
                        packedCells[m] = c;
                        packedTargets[m] = target[c];
                        packedWeights[m] = weight;
                        packedScales[m++] = scale * weight;
                    }
                }
                double sum = Softmax.weightedCrossEntropyRows(kernel, packedLogits, m, kept, packedTargets,
                        packedScales, packedWeights, packedGradient, shift);
                Arrays.fill(dLogits, 0, cells * vocab, 0f);
                for (int j = 0; j < m; j++) {
                    System.arraycopy(packedGradient, j * kept, dLogits, packedCells[j] * vocab, kept);
                }
                return sum;
            }
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
            int cells = batch * length;
            UniformRandomProvider data = state.dataRandom();
            UniformRandomProvider masks = state.maskRandom();

            int[] corpusIds = corpus.ids();
            for (int b = 0; b < batch; b++) {
                int row = data.nextInt(corpus.size());
                System.arraycopy(corpusIds, corpus.rowOffset(row), clean, b * length, length);
                if (rowLabels != null) {
                    rowLabels[b] = corpus.labels()[row];
                }
            }
            if (!mdlm) {
                int k = 1 + masks.nextInt(diffusionSteps);
                double t = (double) k / diffusionSteps;
                forward.mask(clean, noisy, 0, cells, t, masks);
                Arrays.fill(rowTimes, (float) t);
                lastTime = t;
            } else {
                // stratified times: one uniform shifted by b/B, so the batch covers (t_min, 1) evenly; or each row's own
                boolean independent = config.effectiveTimeDraw() == TimeDraw.INDEPENDENT;
                double u = independent ? 0 : masks.nextDouble();
                double sum = 0;
                for (int b = 0; b < batch; b++) {
                    double share = independent ? masks.nextDouble() : (u + (double) b / batch) % 1.0;
                    double t = TrainingConfig.MIN_TIME + (1 - TrainingConfig.MIN_TIME) * share;
                    rowTimes[b] = (float) t;
                    rowWeights[b] = (float) (schedule.rateDerivative(t) / schedule.rate(t));
                    forward.mask(clean, noisy, b * length, length, t, masks);
                    sum += t;
                }
                lastTime = sum / batch;
            }
            if (rowLabels != null) {
                // label dropout draws after the masks, from their stream: an unlabelled run draws exactly as before
                for (int b = 0; b < batch; b++) {
                    if (masks.nextDouble() < config.labelDropout()) {
                        rowLabels[b] = -1;
                    }
                }
            }
            float scale = 1f / cells;
            for (Shard shard : shards) {
                shard.scale = scale;
                // a row's draws are keyed by its place in the run, not by its shard: the same for any thread count
                for (int r = 0; r < shard.to - shard.from; r++) {
                    shard.rowDraws.row(r).reseed(trainingDraws.key(TRAINING_DRAWS, (long) step * batch + shard.from + r));
                }
            }
            runShards();

            double loss = 0;
            for (Shard shard : shards) {
                loss += shard.loss;
            }
            loss /= cells;
            if (!Double.isFinite(loss) || loss > explodedLoss) {
                throw new TrainingDivergedException(step, loss);
            }
            state.optimizer().begin(config.learningRateAt(step));
            averageDecay = state.averageDecay();
            if (pool == null) {
                for (int i = 0; i < parameters.size(); i++) {
                    update(i);
                }
            } else {
                invokeAll(updates);
            }
            state.record(loss);
            return loss;
        }

        /**
         * Everything after the shards for parameter i, which touches no other parameter: the shards' gradients added
         * in shard order (shard 0 wrote the parameter's own), clipped, Adam's update, the average. The session's
         * threads share the parameters out (each one's order as on one thread), so the weights are the same bits for
         * any thread count.
         */
        private void update(int i) {
            Parameter parameter = parameters.get(i);
            float[] into = parameter.gradient();
            for (int s = 1; s < shards.length; s++) {
                float[] g = shards[s].gradientArrays[i];
                for (int j = 0; j < into.length; j++) {
                    into[j] += g[j];
                }
            }
            clip(parameter);
            state.optimizer().update(i);
            state.updateAverage(i, averageDecay);
        }

        private void runShards() {
            if (pool == null) {
                for (Shard shard : shards) {
                    shard.run();
                }
                return;
            }
            invokeAll(tasks);
        }

        private void invokeAll(List<Callable<Void>> work) {
            try {
                for (Future<Void> f : pool.invokeAll(work)) {
                    f.get();
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** The diffusion time of the last step's batch (the mean of its rows' times under MDLM). */
        public double lastTime() {
            return lastTime;
        }

        public TrainingState state() {
            return state;
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** Identifies a corpus by its size and ids, so a state is not resumed on other data. */
    public static long fingerprint(EncodedCorpus corpus) {
        return corpus.fingerprint();
    }

    /** The parameters' indices dealt to {@code workers}, largest first to the least loaded (a fixed deal). */
    static int[][] shares(List<Parameter> parameters, int workers) {
        Integer[] order = new Integer[parameters.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> parameters.get(y).size() != parameters.get(x).size()
                ? Integer.compare(parameters.get(y).size(), parameters.get(x).size()) : Integer.compare(x, y));
        long[] load = new long[workers];
        List<List<Integer>> dealt = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            dealt.add(new ArrayList<>());
        }
        for (int i : order) {
            int least = 0;
            for (int w = 1; w < workers; w++) {
                if (load[w] < load[least]) {
                    least = w;
                }
            }
            dealt.get(least).add(i);
            load[least] += parameters.get(i).size();
        }
        int[][] shares = new int[workers][];
        for (int w = 0; w < workers; w++) {
            shares[w] = dealt.get(w).stream().mapToInt(Integer::intValue).toArray();
        }
        return shares;
    }

    private void clip(Parameter p) {
        if (config.clip().clips(p)) {
            float bound = (float) config.clipValue();
            float[] g = p.gradient();
            for (int i = 0; i < g.length; i++) {
                g[i] = Math.max(-bound, Math.min(bound, g[i]));
            }
        }
    }
}
