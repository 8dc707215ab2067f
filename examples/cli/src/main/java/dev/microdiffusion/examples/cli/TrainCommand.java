package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.Samples;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.TrainingSetting;
import dev.microdiffusion.core.corpus.TextCorpus;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.core.training.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a denoiser on a corpus of names and generates new ones, printing what the reference's scripts print: the
 * forward process of one name, training progress, generated names and a temperature sweep. The work is the
 * library's {@link TrainingRun}; this class reads options and prints.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a denoiser on names (default: datafaker's English first names) and generate new names.")
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions recipe;

    @Mixin
    SamplingCli sampling;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "0",
            description = "report the validation NELBO every N steps (0: only at the end)")
    int evalEvery;

    @Option(names = "--eval-nodes", defaultValue = "" + Nelbo.DEFAULT_NODES, description = "Gauss–Legendre nodes of the NELBO (${DEFAULT-VALUE})")
    int evalNodes;


    @Option(names = "--data", paramLabel = "FILE", description = "corpus, one name per line (default: datafaker's names)")
    Path data;

    @Option(names = "--text", paramLabel = "FILE",
            description = "train on one running text (a play, a book; UTF-8) read as windows of --max-length "
                    + "characters (default " + TrainingRun.Builder.DEFAULT_TEXT_LENGTH + "): the first 90 % trains, "
                    + "the last 10 % is held out; defaults: denoiser text-transformer, schedule linear, tokenizer text")
    Path text;

    @Option(names = "--samples", defaultValue = "" + Generation.Builder.DEFAULT_COUNT, description = "names to generate (${DEFAULT-VALUE}; with --text, passages: 1)")
    int samples;

    @Option(names = "--threads", description = "threads for training and sampling (default: the available processors); results do not depend on it")
    Integer threads;

    @Option(names = "--quiet", description = "print only the generated names")
    boolean quiet;

    @Mixin
    ReportOptions report;

    @Option(names = "--save", paramLabel = "FILE", description = "save the trained model (safetensors)")
    Path save;

    @Option(names = "--save-every", paramLabel = "N", defaultValue = "0",
            description = "also save every N steps, with the training state, so the run can --resume (needs --save)")
    int saveEvery;

    @Option(names = "--resume", paramLabel = "FILE", description = "continue the run saved in FILE by --save-every")
    Path resume;

    @Option(names = "--list", description = "list the registered denoisers, schedules, samplers and tokenizers, then exit")
    boolean list;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            TrainOutput.providers(out);
            return 0;
        }
        checkOptions();
        if (text != null) {
            return trainOnText(out);
        }
        boolean talk = !quiet && !report.jsonToStdout();
        TrainingRun.Builder builder = recipe.apply(recipe.builder(data), spec.commandLine().getParseResult())
                .evaluateEvery(evalEvery).evaluationNodes(evalNodes);
        if (threads != null) {
            builder.threads(threads);
        }
        if (saveEvery > 0) {
            builder.checkpointEvery(saveEvery, save);
        }
        if (resume != null) {
            builder.resumeFrom(resume);
        }
        TrainingRun run = recipe.build(builder, data);
        DiffusionModel model = run.model();
        // every sampling setting is checked now, before the training it would follow
        Generation generation = report.observe(sampling.apply(model.generation()).count(samples)
                .threads(run.threads()).seed(run.seed()), model.tokenizer().maxLength());
        Map<String, Generation> sweep = TrainOutput.sweep(sampling, model, run.seed());

        if (talk) {
            TrainOutput.header(out, run, recipe.source(data), resume);
        }

        TrainingResult result = run.train(talk ? new ProgressBar(out, System.console() != null) : TrainingListener.NONE);
        if (save != null) {
            run.save(save);
        }
        Nelbo nelbo = run.validationSet().size() > 0 ? run.evaluate() : null;
        List<Plots.EvalPoint> curve = Plots.EvalPoint.curve(run, nelbo);
        if (talk) {
            TrainOutput.trained(out, result, nelbo, save);
        }

        long sampleStart = System.nanoTime();
        List<String> names = generation.generate();
        double sampleSeconds = (System.nanoTime() - sampleStart) / 1e9;
        if (quiet && !report.jsonToStdout()) {
            names.forEach(out::println);
        } else if (talk) {
            TrainOutput.generated(out, names, generation, sampleSeconds, run);
        }

        Map<String, List<String>> swept = talk ? TrainOutput.printSweep(out, sweep) : new LinkedHashMap<>();
        EvaluationPrinter.QualityReport quality = null;
        if (!names.isEmpty() && run.validationSet().size() > 0) {
            quality = EvaluationPrinter.QualityReport.of(generation, names, run.sampleQuality(names));
            if (talk) {
                out.println();
                EvaluationPrinter.printQuality(out, quality);
            }
        }
        out.flush();
        report.write(out, talk ? out : new PrintWriter(Writer.nullWriter()), RunReport.of(recipe.source(data), run,
                result, generation, names, sampleSeconds, swept, curve, nelbo, quality), (dir, r) -> Plots.trainingRun(
                        dir, run, result, curve, r.quality(), names, report.reveals, generation.sampler()));
        return 0;
    }

    /** {@code --text}: windows of one running text, the NELBO in nats and bits per character, passages. */
    private int trainOnText(PrintWriter out) throws IOException {
        boolean talk = !quiet && !report.jsonToStdout();
        TextCorpus corpus = TextCorpus.read(text);
        TrainingRun.Builder builder = recipe.apply(TrainingRun.builder(corpus), spec.commandLine().getParseResult())
                .evaluateEvery(evalEvery).evaluationNodes(evalNodes);
        if (threads != null) {
            builder.threads(threads);
        }
        if (saveEvery > 0) {
            builder.checkpointEvery(saveEvery, save);
        }
        if (resume != null) {
            builder.resumeFrom(resume);
        }
        TrainingRun run = recipe.build(builder, text);
        DiffusionModel model = run.model();
        int count = spec.commandLine().getParseResult().hasMatchedOption("--samples") ? samples : 1;
        Generation generation = sampling.apply(model.generation()).count(count).threads(run.threads())
                .seed(run.seed()).build();
        int tokensPerStep = run.recipe().batchSize() * model.tokenizer().maxLength();
        if (talk) {
            TextRun.header(out, run, corpus, resume);
        }
        TrainingResult result = run.train(talk ? new ProgressBar(out, System.console() != null, tokensPerStep)
                : TrainingListener.NONE);
        if (save != null) {
            run.save(save);
        }
        Nelbo nelbo = run.validationSet().size() > 0 ? run.evaluate() : null;
        if (talk) {
            TextRun.trained(out, result, tokensPerStep, nelbo, save);
        }
        long sampleStart = System.nanoTime();
        Samples made = generation.sample();
        List<String> passages = made.texts();
        double sampleSeconds = (System.nanoTime() - sampleStart) / 1e9;
        double[] ngram = TextRun.ngram(run, passages);
        if (quiet && !report.jsonToStdout()) {
            passages.forEach(out::println);
        } else if (talk) {
            TextRun.passages(out, made, generation, sampleSeconds);
            TextRun.printNgram(out, ngram);
        }
        out.flush();
        report.write(out, talk ? out : new PrintWriter(Writer.nullWriter()), TextRun.report(corpus, run, result,
                nelbo, generation, passages, sampleSeconds, ngram), (dir, r) -> {
                    throw new IllegalArgumentException("--plot is not drawn for --text runs yet");
                });
        return 0;
    }

    /** Refuses options that cannot work together and outputs that cannot be written, before any training. */
    private void checkOptions() {
        if (text != null && (data != null || recipe.labels)) {
            throw new IllegalArgumentException("--text trains on one running text: give it without --data and --labels");
        }
        if (samples < 0 || evalEvery < 0) {
            throw new IllegalArgumentException("--samples and --eval-every must be ≥ 0");
        }
        if (saveEvery < 0 || (saveEvery > 0 && save == null)) {
            throw new IllegalArgumentException("--save-every needs --save and a count ≥ 1");
        }
        if (resume == null && evalEvery > 0 && recipe.validation == 0) {
            throw new IllegalArgumentException("--eval-every needs held-out names: give --validation above 0");
        }
        report.check();
        if (save != null && JsonOutput.toStdout(save)) {
            throw new IllegalArgumentException("--save needs a file: a model does not go to standard output");
        }
        JsonOutput.check(save, "--save");
    }

    /**
     * {@return the option of {@code train} that sets a setting of the library's training run}
     *
     * @param setting a setting that fixes what a run trains
     */
    public static String option(TrainingSetting setting) {
        return switch (setting) {
            case DENOISER -> "--denoiser";
            case DENOISER_SETTING -> "--denoiser-option";
            case SCHEDULE -> "--schedule";
            case SCHEDULE_SETTING -> "--schedule-option";
            case TOKENIZER -> "--tokenizer";
            case MAX_LENGTH -> "--max-length";
            case VALIDATION_FRACTION -> "--validation";
            case SEED -> "--seed";
            case RECIPE -> "--recipe";
            case STEPS -> "--steps";
            case BATCH_SIZE -> "--batch-size";
            case LEARNING_RATE -> "--learning-rate";
            case DIFFUSION_STEPS -> "--diffusion-steps";
            case OBJECTIVE -> "--objective";
            case LABEL_DROPOUT -> "--label-dropout";
        };
    }
}
