package dev.microdiffusion.core;

import dev.microdiffusion.core.evaluation.DecodingOrder;
import dev.microdiffusion.core.evaluation.KneserNeyModel;
import dev.microdiffusion.core.evaluation.LabelNelbo;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.evaluation.OrderedLikelihood;
import dev.microdiffusion.core.evaluation.SampleQuality;
import dev.microdiffusion.core.internal.Parallel;
import dev.microdiffusion.core.internal.RowStreams;
import dev.microdiffusion.core.internal.checkpoint.Checkpoint;
import dev.microdiffusion.core.internal.checkpoint.ModelParts;
import dev.microdiffusion.core.internal.evaluation.NelboEvaluator;
import dev.microdiffusion.core.internal.evaluation.OrderedLikelihoodEvaluator;
import dev.microdiffusion.core.internal.math.Softmax;
import dev.microdiffusion.core.spi.Canvas;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.EncodedCorpus;
import dev.microdiffusion.core.spi.Gradients;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.RowRandom;
import dev.microdiffusion.core.spi.Sampler;
import dev.microdiffusion.core.spi.SamplingOptions;
import dev.microdiffusion.core.spi.StepObserver;
import dev.microdiffusion.core.spi.Template;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.training.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * A trained model: its tokenizer, denoiser, noise schedule and the number of diffusion steps it was trained on, and
 * what it can do — {@link #generation() generate}, {@link #predict fill masks}, {@link #evaluation() evaluate},
 * {@link #save save}. {@link #load(Path)} reads one back; {@link TrainingRun} makes one.
 *
 * <pre>{@code
 * DiffusionModel model = DiffusionModel.load(Path.of("model.safetensors"));
 * List<String> names = model.generation().count(10).temperature(0.8).template("em__a").generate();
 * FillMask guesses = model.predict("em__a");
 * }</pre>
 *
 * Thread-safe: every call makes (or borrows) its own buffers.
 */
public final class DiffusionModel {

    private final Tokenizer tokenizer;
    private final Denoiser denoiser;
    private final NoiseSchedule schedule;
    private final int diffusionSteps;
    private final DataSplit split;
    private final History history;
    private final List<String> labels;
    /**
     * A pass and a canvas per worker, kept between generations so that repeated calls do not make them again (a
     * Transformer pass for 64 rows is ~10 MB); at most {@link #KEPT} are kept.
     */
    private final ConcurrentLinkedDeque<Buffers> idle = new ConcurrentLinkedDeque<>();
    private static final int KEPT = 4;

    private record Buffers(int capacity, int passRows, Denoiser.Pass pass, Canvas canvas, RowStreams streams) {
    }

    /**
     * The training a saved model went through: its recipe, the steps taken and the loss of each.
     *
     * @param losses the batch loss of every step taken
     */
    public record History(TrainingConfig recipe, int steps, double[] losses) {

        /**
         * Copies the losses.
         *
         * @param recipe the recipe it was trained with
         * @param steps the steps taken
         * @param losses the loss of every step
         */
        public History {
            losses = losses.clone();
        }

        /** {@return the loss of every step taken (a copy)} */
        @Override
        public double[] losses() {
            return losses.clone();
        }
    }

    /**
     * A model of these parts, with no record of how its data was split or how it was trained.
     *
     * @param tokenizer the tokenizer
     * @param denoiser the denoiser, built for the tokenizer's vocabulary and row length
     * @param schedule the noise schedule
     * @param diffusionSteps T, the reverse steps a sampler takes by default
     */
    public DiffusionModel(Tokenizer tokenizer, Denoiser denoiser, NoiseSchedule schedule, int diffusionSteps) {
        this(tokenizer, denoiser, schedule, diffusionSteps, null, null);
    }

    /**
     * A model of these parts.
     *
     * @param split   how its training run split the corpus (saved with the model), or null
     * @param history how it was trained, or null
     * @param tokenizer the tokenizer
     * @param denoiser the denoiser, built for the tokenizer's vocabulary and row length
     * @param schedule the noise schedule
     * @param diffusionSteps T, the reverse steps a sampler takes by default
     */
    public DiffusionModel(Tokenizer tokenizer, Denoiser denoiser, NoiseSchedule schedule, int diffusionSteps,
            DataSplit split, History history) {
        this(tokenizer, denoiser, schedule, diffusionSteps, split, history, List.of());
    }

    /**
     * A model of these parts, conditioned on labels.
     *
     * @param labels the label names, label id i being {@code labels.get(i)}; as many as the denoiser takes
     * @param tokenizer the tokenizer
     * @param denoiser the denoiser, built for the tokenizer's vocabulary and row length
     * @param schedule the noise schedule
     * @param diffusionSteps T, the reverse steps a sampler takes by default
     * @param split how its training run split the corpus, or null
     * @param history how it was trained, or null
     */
    public DiffusionModel(Tokenizer tokenizer, Denoiser denoiser, NoiseSchedule schedule, int diffusionSteps,
            DataSplit split, History history, List<String> labels) {
        if (labels.size() != denoiser.labels()) {
            throw new IllegalArgumentException(labels.size() + " label names for a denoiser of " + denoiser.labels()
                    + " labels");
        }
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new IllegalArgumentException("label names repeat: " + labels);
        }
        if (tokenizer.vocabSize() != denoiser.vocabSize() || tokenizer.maxLength() != denoiser.maxLength()) {
            throw new IllegalArgumentException("tokenizer (V " + tokenizer.vocabSize() + ", L " + tokenizer.maxLength()
                    + ") and denoiser (V " + denoiser.vocabSize() + ", L " + denoiser.maxLength() + ") do not match");
        }
        if (diffusionSteps < 1) {
            throw new IllegalArgumentException("diffusionSteps must be at least 1, got " + diffusionSteps);
        }
        this.tokenizer = tokenizer;
        this.denoiser = denoiser;
        this.schedule = schedule;
        this.diffusionSteps = diffusionSteps;
        this.split = split;
        this.history = history;
        this.labels = List.copyOf(labels);
    }

    /**
     * Loads a model saved by {@link #save} or {@link TrainingRun} (any denoiser, schedule and tokenizer on the class
     * or module path).
     *
     * @param file the safetensors file
     * @throws IOException                                     if the file cannot be read
     * @throws dev.microdiffusion.core.CheckpointException naming the file and what does not fit
     * @return the model
     */
    public static DiffusionModel load(Path file) throws IOException {
        return of(Checkpoint.load(file, LoadOptions.none()));
    }

    /**
     * Loads a file that may lack metadata (one written from PyTorch, say); {@code options} fills it in.
     *
     * @param file the safetensors file
     * @param options what the file lacks
     * @return the model
     * @throws IOException if the file cannot be read
     */
    public static DiffusionModel load(Path file, LoadOptions options) throws IOException {
        return of(Checkpoint.load(file, options));
    }

    /**
     * Saves the model alone (for sampling; not resumable), whole or not at all. A training run's result is saved with
     * {@link TrainingRun#save}, which keeps the run's state when it checkpoints.
     *
     * @param file the target; its directory is created when missing
     * @throws IOException naming the file and the cause
     */
    public void save(Path file) throws IOException {
        Checkpoint.save(file, parts(), null);
    }

    /** A loaded file's model, with the history of its training when the file holds one. */
    static DiffusionModel of(Checkpoint.Loaded loaded) {
        ModelParts p = loaded.parts();
        Checkpoint.SavedTraining training = loaded.training();
        History history = training == null ? null : new History(training.config(), training.step(),
                training.losses());
        return new DiffusionModel(p.tokenizer(), p.denoiser(), p.schedule(), p.diffusionSteps(), p.split(), history,
                p.labels());
    }

    /** What a checkpoint of this model holds, apart from its training. */
    ModelParts parts() {
        return new ModelParts(tokenizer, denoiser, schedule, diffusionSteps, split, labels);
    }

    /** {@return the tokenizer} */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** {@return the denoiser} */
    public Denoiser denoiser() {
        return denoiser;
    }

    /** {@return the noise schedule} */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** {@return T, the reverse steps a sampler takes by default} */
    public int diffusionSteps() {
        return diffusionSteps;
    }

    /** {@return the labels it is conditioned on, label id i at index i; empty for an unconditional model} */
    public List<String> labels() {
        return labels;
    }

    /**
     * The id of a label.
     *
     * @param label a label name
     * @throws IllegalArgumentException naming the labels there are
     * @return its id
     */
    public int labelId(String label) {
        int id = labels.indexOf(label);
        if (id < 0) {
            throw new IllegalArgumentException(labels.isEmpty() ? "the model is not conditioned on labels"
                    : "no label '" + label + "'; the model's labels: " + String.join(", ", labels));
        }
        return id;
    }

    /** {@return how the model's training run split its corpus, when known} */
    public Optional<DataSplit> split() {
        return Optional.ofNullable(split);
    }

    /** {@return how the model was trained, when known (loaded from a resumable file, or made by a run)} */
    public Optional<History> history() {
        return Optional.ofNullable(history);
    }

    /**
     * Encodes texts with the model's tokenizer (lines longer than its rows are dropped and counted).
     *
     * @param texts one text per line
     * @return the encoded texts
     */
    public EncodedCorpus encode(List<String> texts) {
        return tokenizer.encodeCorpus(texts);
    }

    /**
     * Encodes labelled texts with the model's tokenizer and label ids.
     *
     * @param texts the labelled texts
     * @throws IllegalArgumentException if a label is not one of the model's
     * @return the encoded texts with their label ids
     */
    public EncodedCorpus encode(LabelledCorpus texts) {
        int[] ids = new int[texts.labels().size()];
        for (int n = 0; n < ids.length; n++) {
            ids[n] = labelId(texts.labels().get(n));
        }
        return tokenizer.encodeCorpus(texts.texts()).labelled(texts.texts(), ids, tokenizer);
    }

    /**
     * Starts a request for texts; see {@link Generation}.
     *
     * @return the request's builder
     */
    public Generation.Builder generation() {
        return new Generation.Builder(this);
    }

    /**
     * {@code count} texts from all-masked rows with every default of {@link Generation}.
     *
     * @param count how many texts
     * @return the texts
     */
    public List<String> generate(int count) {
        return generation().count(count).generate();
    }

    /**
     * {@link #predict(String, double)} at {@link FillMask#DEFAULT_TIME}.
     *
     * @param template the template
     * @return every position's probabilities
     */
    public FillMask predict(String template) {
        return predict(template, FillMask.DEFAULT_TIME);
    }

    /**
     * One model call on a template where '_' marks each position to predict, at diffusion time {@code t}: the
     * probability of every symbol at every position.
     *
     * @param template the template
     * @param t the diffusion time
     * @throws IllegalArgumentException if the template has no '_', does not fit the rows, holds a symbol outside the
     *                                  vocabulary, or t is outside [0, 1]
     * @return every position's probabilities
     */
    public FillMask predict(String template, double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("the time must be in [0, 1], got " + t);
        }
        if (template.indexOf(Template.BLANK) < 0) {
            throw new IllegalArgumentException("'" + template + "' has no '" + Template.BLANK + "': mark each position "
                    + "to predict with '" + Template.BLANK + "', e.g. em__a");
        }
        Template pattern = Template.pattern(tokenizer, template);
        if (pattern.hasSets()) {
            throw new IllegalArgumentException("'" + template + "' has a set: a prediction shows every symbol's "
                    + "probability, so mark the positions with '" + Template.BLANK + "' only");
        }
        int[] ids = pattern.ids();
        int vocab = tokenizer.vocabSize();
        float[] logits = new float[ids.length * vocab];
        denoiser.newPass(1).forward(ids, new float[] {(float) t}, 1, logits);
        List<String> symbols = new ArrayList<>(vocab);
        for (int id = 0; id < vocab; id++) {
            symbols.add(tokenizer.symbol(id));
        }
        List<FillMask.Position> positions = new ArrayList<>(ids.length);
        double[] p = new double[vocab];
        for (int pos = 0; pos < ids.length; pos++) {
            Softmax.probabilities(logits, pos * vocab, vocab, 1.0, p);
            positions.add(new FillMask.Position(pos, symbols.get(ids[pos]), ids[pos] == tokenizer.maskId(), p));
        }
        return new FillMask(template, t, symbols, positions);
    }

    /**
     * Starts a request to score texts one by one (NELBO per text, likeliest label); see {@link Scoring}.
     *
     * @return the request's builder
     */
    public Scoring.Builder scoring() {
        return new Scoring.Builder(this);
    }

    /**
     * Starts a pseudonymiser: a made-up text for every real value, fixed by the value and a secret key; see
     * {@link Pseudonymiser}.
     *
     * @param key the secret, at least {@value Pseudonymiser#MIN_KEY_BYTES} bytes
     * @return the pseudonymiser's builder
     */
    public Pseudonymiser.Builder pseudonymiser(byte[] key) {
        return new Pseudonymiser.Builder(this, key);
    }

    /**
     * Starts an evaluation of the model on held-out texts; see {@link Evaluation}.
     *
     * @return the evaluation, to set up and run
     */
    public Evaluation evaluation() {
        return new Evaluation();
    }

    /**
     * {@return how generated texts compare with real ones, scored by a {@value KneserNeyModel#DEFAULT_ORDER}-gram
     * Kneser–Ney model fitted on {@code data.train()}; held-out texts give the reference figure}
     *
     * @param samples generated texts
     * @param data the training texts and the held-out ones
     */
    public SampleQuality sampleQuality(List<String> samples, EncodedCorpus.Split data) {
        return sampleQuality(samples, data, KneserNeyModel.DEFAULT_ORDER);
    }

    /**
     * As {@link #sampleQuality(List, EncodedCorpus.Split)} with an n-gram model of another order.
     *
     * @param samples generated texts
     * @param data the training texts and the held-out ones
     * @param ngramOrder the n-gram model's order
     * @return the comparison
     */
    public SampleQuality sampleQuality(List<String> samples, EncodedCorpus.Split data, int ngramOrder) {
        KneserNeyModel ngram = new KneserNeyModel(data.train().texts(), ngramOrder, KneserNeyModel.DEFAULT_DISCOUNT);
        return SampleQuality.of(samples, data.train().texts(), data.validation().texts(), ngram,
                tokenizer.maxLength());
    }

    /**
     * The negative ELBO of held-out texts (bits per character): Gauss–Legendre nodes over t, Monte Carlo masks.
     * Deterministic for a seed, whatever the thread count.
     */
    public final class Evaluation {
        private int nodes = Nelbo.DEFAULT_NODES;
        private int maskDraws = Nelbo.DEFAULT_MASK_DRAWS;
        private int threads = Parallel.defaultThreads();
        private long seed = RandomStreams.DEFAULT_SEED;
        private boolean conditional = true;

        private Evaluation() {
        }

        /**
         * {@return the unconditional bound: every text under the null label, whether or not the data are labelled (by
         * default a conditional model is given each labelled text's label)}
         */
        public Evaluation unconditional() {
            conditional = false;
            return this;
        }

        /**
         * Quadrature nodes over t (16).
         *
         * @param value quadrature nodes over t
         * @return this
         */
        public Evaluation nodes(int value) {
            nodes = value;
            return this;
        }

        /**
         * Mask draws per text and node (1).
         *
         * @param value mask draws per text and node
         * @return this
         */
        public Evaluation maskDraws(int value) {
            maskDraws = value;
            return this;
        }

        /**
         * Threads (default: the available processors); the figure does not depend on it.
         *
         * @param value the thread count
         * @return this
         */
        public Evaluation threads(int value) {
            threads = value;
            return this;
        }

        /**
         * The seed of the masks (1).
         *
         * @param value the seed of the masks
         * @return this
         */
        public Evaluation seed(long value) {
            seed = value;
            return this;
        }

        /**
         * The NELBO of the texts the model's training run held out of {@code corpus}, the corpus it was trained on:
         * the model's saved {@link #split() split} applied again, in one call.
         *
         * @param corpus the corpus the model was trained on
         * @throws IllegalStateException    if the model does not know how its data were split (a file from elsewhere)
         * @throws IllegalArgumentException if {@code corpus} is not the one the run split, or nothing was held out
         * @return the held-out texts' NELBO
         */
        public Nelbo heldOut(List<String> corpus) {
            return heldOut(encode(Objects.requireNonNull(corpus, "corpus")));
        }

        /**
         * As {@link #heldOut(List)} for a labelled model and the labelled corpus it was trained on.
         *
         * @param corpus the labelled corpus the model was trained on
         * @return the held-out texts' NELBO
         */
        public Nelbo heldOut(LabelledCorpus corpus) {
            return heldOut(encode(Objects.requireNonNull(corpus, "corpus")));
        }

        private Nelbo heldOut(EncodedCorpus all) {
            DataSplit saved = split().orElseThrow(() -> new IllegalStateException("the model does not know how its "
                    + "training data were split; evaluate texts of your own with nelbo(model.encode(texts))"));
            if (!saved.matches(all)) {
                throw new IllegalArgumentException("these are not the texts the model was trained on (their "
                        + "fingerprint differs), so its held-out ones cannot be found among them");
            }
            EncodedCorpus validation = saved.apply(all).validation();
            if (validation.size() == 0) {
                throw new IllegalArgumentException("the model's training run held out no texts (validation fraction "
                        + saved.validationFraction() + ")");
            }
            return nelbo(validation);
        }

        /**
         * For each label of a labelled model, its texts of {@code heldOut} scored with their label and without, in
         * label order; labels with no text there are left out. The same nodes, draws and seed as {@link #nelbo}.
         *
         * @param heldOut labelled texts
         * @return the figures by label name
         * @throws IllegalArgumentException if the model or the texts are not labelled
         */
        public Map<String, LabelNelbo> byLabel(EncodedCorpus heldOut) {
            if (labels.isEmpty() || !heldOut.isLabelled()) {
                throw new IllegalArgumentException("figures by label need a labelled model and labelled texts");
            }
            NelboEvaluator given = new NelboEvaluator(nodes, maskDraws, threads, true);
            NelboEvaluator none = new NelboEvaluator(nodes, maskDraws, threads, false);
            Map<String, LabelNelbo> out = new LinkedHashMap<>();
            for (int id = 0; id < labels.size(); id++) {
                EncodedCorpus part = heldOut.withLabel(id);
                if (part.size() > 0) {
                    out.put(labels.get(id), new LabelNelbo(part.size(),
                            given.evaluate(tokenizer, denoiser, schedule, part, seed),
                            none.evaluate(tokenizer, denoiser, schedule, part, seed)));
                }
            }
            return out;
        }

        /**
         * The exact negative log-likelihood of {@code texts} under the autoregressive model this model's conditionals
         * form in a fixed order: a second figure beside the NELBO bound, deterministic (no nodes, draws or seed).
         * Conditional, or not, as {@link #nelbo} is; {@link #threads} applies.
         *
         * @param texts texts to score, e.g. the held-out ones
         * @param order the order positions are revealed in
         * @return the exact NLL, per text and per character
         * @throws IllegalArgumentException if there are no texts or their rows are not the model's
         */
        public OrderedLikelihood ordered(EncodedCorpus texts, DecodingOrder order) {
            Objects.requireNonNull(order, "order");
            return new OrderedLikelihoodEvaluator(threads, conditional).evaluate(tokenizer, denoiser, schedule,
                    Objects.requireNonNull(texts, "texts"), order);
        }

        /**
         * {@return the NELBO of {@code heldOut}}
         *
         * @param heldOut texts the model did not train on
         */
        public Nelbo nelbo(EncodedCorpus heldOut) {
            return new NelboEvaluator(nodes, maskDraws, threads, conditional).evaluate(tokenizer, denoiser, schedule,
                    heldOut, seed);
        }
    }

    /**
     * Generates {@code count} texts from rows made by {@code template} (fixed positions are never changed). Text j
     * draws from its own stream, seeded by {@code keyOf.applyAsLong(j)}, and rows are independent in a batch, so
     * text j depends on its key and not on {@code count}, {@code batchSize} or {@code threads}: rows go in batches of
     * {@code batchSize}, {@code threads} batches at once.
     *
     * @param samplers makes one sampler per thread (samplers keep buffers)
     * @param options  how to sample; {@link SamplingOptions#steps()} need not be the training T
     * @param observer sees the canvas of every batch after every step; calls are serialised
     */
    Samples generate(int count, IntToLongFunction keyOf, int batchSize, int threads, Supplier<Sampler> samplers,
            SamplingOptions options, Template template, int remask, int label, StepObserver observer) {
        if (count < 0 || batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("count must be ≥ 0, batchSize and threads ≥ 1, got " + count + ", "
                    + batchSize + ", " + threads);
        }
        int capacity = Math.max(1, Math.min(batchSize, count));
        int batches = (count + capacity - 1) / capacity;
        String[] out = new String[count];
        StepObserver serialised = observer == StepObserver.NONE ? observer : (step, steps, canvas) -> {
            synchronized (this) {
                observer.afterStep(step, steps, canvas);
            }
        };
        int workers = Math.min(threads, batches);
        AtomicInteger next = new AtomicInteger();
        LongAdder calls = new LongAdder();
        LongAdder rows = new LongAdder();
        Runnable worker = () -> {
            // guided rows go to the model twice, with and without their label
            Buffers buffers = borrow(capacity, label >= 0 && options.guidance() > 0 ? 2 * capacity : capacity);
            CountingPass pass = new CountingPass(buffers.pass());
            Canvas canvas = buffers.canvas();
            RowStreams streams = buffers.streams();
            Sampler sampler = samplers.get();
            for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                int first = b * capacity;
                int size = Math.min(capacity, count - first);
                canvas.reset(size, template).setLabel(label);
                streams.seed(size, first, keyOf);
                if (remask > 0) {
                    remask(canvas, template.exactLength(), remask, streams);
                }
                sampler.sample(canvas, pass, schedule, options, streams, serialised);
                List<String> texts = canvas.decode(tokenizer, options.endAtFirstPad());
                for (int r = 0; r < texts.size(); r++) {
                    out[first + r] = texts.get(r);
                }
            }
            calls.add(pass.calls);
            rows.add(pass.rows);
            giveBack(buffers);
        };
        Parallel.run(workers, worker);
        return new Samples(Arrays.asList(out), calls.sum(), rows.sum());
    }

    /** A pass that counts its forward calls and rows, for {@link Samples}' NFE; one worker's, not thread-safe. */
    private static final class CountingPass implements Denoiser.Pass {
        private final Denoiser.Pass pass;
        long calls;
        long rows;

        CountingPass(Denoiser.Pass pass) {
            this.pass = pass;
        }

        @Override
        public int maxBatch() {
            return pass.maxBatch();
        }

        @Override
        public void forward(int[] tokens, float[] times, int batch, float[] logits) {
            calls++;
            rows += batch;
            pass.forward(tokens, times, batch, logits);
        }

        @Override
        public void forward(int[] tokens, float[] times, int[] labels, int batch, float[] logits) {
            calls++;
            rows += batch;
            pass.forward(tokens, times, labels, batch, logits);
        }

        @Override
        public void backward(float[] dLogits, Gradients gradients) {
            pass.backward(dLogits, gradients);
        }
    }

    /** Masks {@code count} of each row's first {@code length} positions again, chosen uniformly per row. */
    private static void remask(Canvas canvas, int length, int count, RowRandom streams) {
        int[] order = new int[length];
        int[] tokens = canvas.tokens();
        for (int r = 0; r < canvas.rows(); r++) {
            UniformRandomProvider random = streams.row(r);
            for (int i = 0; i < length; i++) {
                order[i] = i;
            }
            for (int i = 0; i < count; i++) {
                int j = i + random.nextInt(length - i);
                int chosen = order[j];
                order[j] = order[i];
                order[i] = chosen;
                tokens[r * canvas.length() + chosen] = canvas.maskId();
            }
        }
    }

    private Buffers borrow(int capacity, int passRows) {
        for (Buffers b = idle.poll(); b != null; b = idle.poll()) {
            if (b.capacity() == capacity && b.passRows() == passRows) {
                return b;
            }
        }
        return new Buffers(capacity, passRows, denoiser.newPass(passRows), Canvas.of(tokenizer, capacity),
                new RowStreams(capacity));
    }

    private void giveBack(Buffers buffers) {
        if (idle.size() < KEPT) {
            idle.push(buffers);
        }
    }
}
