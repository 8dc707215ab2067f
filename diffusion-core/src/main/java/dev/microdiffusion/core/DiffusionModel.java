package dev.microdiffusion.core;

import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.corpus.LabelledCorpus;
import dev.microdiffusion.core.corpus.TextCorpus;
import dev.microdiffusion.core.evaluation.KneserNeyModel;
import dev.microdiffusion.core.evaluation.SampleQuality;
import dev.microdiffusion.core.internal.checkpoint.Checkpoint;
import dev.microdiffusion.core.internal.checkpoint.ModelParts;
import dev.microdiffusion.core.internal.generation.GenerationEngine;
import dev.microdiffusion.core.io.LoadOptions;
import dev.microdiffusion.core.nn.Softmax;
import dev.microdiffusion.core.sampling.Template;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.training.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

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
    private final GenerationEngine engine;

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
        this.engine = new GenerationEngine(tokenizer, denoiser, schedule);
    }

    /**
     * Loads a model saved by {@link #save} or {@link TrainingRun} (any denoiser, schedule and tokenizer on the class
     * or module path).
     *
     * @param file the safetensors file
     * @throws IOException                                     if the file cannot be read
     * @throws dev.microdiffusion.core.io.CheckpointException naming the file and what does not fit
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
     * Encodes a running text with the model's tokenizer, as windows of its row length at every offset: what a run on
     * the text trains on, and what {@link Evaluation#heldOut(TextCorpus)} splits again.
     *
     * @param text the running text
     * @throws IllegalArgumentException naming the line and column of a character outside the vocabulary
     * @throws UnsupportedOperationException if the model's tokenizer reads one text per row only
     * @return the windows
     */
    public EncodedCorpus encode(TextCorpus text) {
        int[] ids;
        try {
            ids = tokenizer.encodeText(text.text());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(text.source() + ": " + e.getMessage(), e);
        }
        return EncodedCorpus.windows(text.text(), ids, tokenizer.maxLength(), 1);
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
        return tokenizer.encodeCorpus(texts.texts()).labelled(texts.texts(), ids, tokenizer::normalize);
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
        return new Evaluation(this);
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

    /** {@return the engine that generates this model's texts} */
    GenerationEngine engine() {
        return engine;
    }
}
