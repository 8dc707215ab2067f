package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Generation;
import dev.microdiffusion.core.Samples;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.evaluation.SampleQuality;
import dev.microdiffusion.core.io.AtomicFiles;
import dev.microdiffusion.examples.DefaultCorpus;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * How good the samples are: trains each denoiser under each recipe at stated budgets (or loads the model a previous
 * run saved for the same corpus, denoiser, recipe and steps), then for each sampler and temperature generates names
 * and scores them against held-out data — validation NELBO, 4-gram Kneser–Ney nats per character, mean length and the
 * length histogram's L1 distance from the data's, novel and unique fractions, and model evaluations per name (NFE) —
 * and writes {@code QUALITY.md} with the frontier plots (novelty against nats/char, NFE against nats/char). Runs on
 * the default corpus always and on the reference data set when its file exists (skipped, and said so, without it).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/lab/target/lab.jar \
 *     dev.microdiffusion.benchmarks.QualityBenchmark --out docs/QUALITY.md --models target/quality-models \
 *     --steps mlp=5000,mlp-skip=5000,transformer=3000 --reference-steps transformer:tuned=90000
 * </pre>
 *
 * A budget key is a denoiser (every recipe) or DENOISER:RECIPE; {@code --reference-steps} overrides {@code --steps}
 * on the reference data.
 */
public final class QualityBenchmark {

    private QualityBenchmark() {
    }

    /** What to run; every value is checked before any training. */
    record Plan(Path referenceData, Path out, Path images, Path models, int samples, int threads,
            Map<String, Integer> steps, Map<String, Integer> referenceSteps, List<String> recipes,
            List<String> samplers, List<Double> temperatures, List<Integer> nfeSteps) {
    }

    /** One scored set of samples. */
    record Point(String sampler, double temperature, int steps, boolean keepLengths, double natsPerChar,
            double meanLength, double lengthL1, double novel, double unique, double nfe, double seconds) {
    }

    /** One trained model and its points. */
    record ModelResult(String denoiser, String recipe, int steps, double trainSeconds, Nelbo nelbo,
            List<Point> points, List<Point> nfePoints) {
    }

    /**
     * The autoregressive peer's frontier measured in issue 15 (the same Transformer blocks trained causally, 15,000
     * steps): novelty and 4-gram nats/char at τ 1.0, 1.2, 1.4, 1.6. Quoted, not measured here.
     */
    static final double[][] AUTOREGRESSIVE_PEER = {{0.44, 2.04}, {0.57, 2.21}, {0.69, 2.33}, {0.75, 2.55}};

    public static void main(String[] args) throws Exception {
        Plan plan;
        try {
            plan = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("QualityBenchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, List<String>> corpora = new LinkedHashMap<>();
        corpora.put("default corpus (" + DefaultCorpus.source() + ")", DefaultCorpus.names());
        String skipped = null;
        if (Files.isRegularFile(plan.referenceData())) {
            corpora.put("reference data (" + plan.referenceData().getFileName() + ")",
                    DefaultCorpus.lines(plan.referenceData()));
        } else {
            skipped = plan.referenceData() + " is not there: the reference data set was skipped";
            System.out.println(skipped);
        }
        Files.createDirectories(plan.models());
        Files.createDirectories(plan.images());
        StringBuilder md = new StringBuilder();
        header(md, plan, skipped);
        int corpusIndex = 0;
        for (Map.Entry<String, List<String>> corpus : corpora.entrySet()) {
            boolean reference = corpusIndex++ > 0;
            String key = reference ? "names" : "default";
            Map<String, Integer> steps = reference ? merged(plan) : plan.steps();
            List<ModelResult> results = new ArrayList<>();
            EncodedCorpus.Split split = null;
            DiffusionModel any = null;
            for (String denoiser : denoisers(steps)) {
                for (String recipe : plan.recipes()) {
                    int budget = budget(steps, denoiser, recipe);
                    Trained trained = model(plan, key, corpus.getValue(), denoiser, recipe, budget);
                    split = trained.split();
                    any = trained.model();
                    results.add(score(plan, trained, denoiser, recipe, budget,
                            denoiser.equals(lastTransformerLike(denoisers(steps)))));
                }
            }
            section(md, corpus.getKey(), key, results, any, split, plan, reference);
            writeText(plan.out(), md.toString());
        }
        System.out.println("wrote " + plan.out());
    }

    /** The denoiser whose NFE curve is drawn: the transformer when it runs, else the last one. */
    private static String lastTransformerLike(List<String> denoisers) {
        return denoisers.contains("transformer") ? "transformer" : denoisers.get(denoisers.size() - 1);
    }

    /** The denoisers of a budget map, whose keys are DENOISER or DENOISER:RECIPE, in order. */
    private static List<String> denoisers(Map<String, Integer> steps) {
        return steps.keySet().stream().map(k -> k.contains(":") ? k.substring(0, k.indexOf(':')) : k).distinct()
                .toList();
    }

    /** A denoiser's steps under a recipe: DENOISER:RECIPE if given, else DENOISER. */
    private static int budget(Map<String, Integer> steps, String denoiser, String recipe) {
        Integer own = steps.get(denoiser + ":" + recipe);
        if (own != null) {
            return own;
        }
        Integer shared = steps.get(denoiser);
        if (shared == null) {
            throw new IllegalArgumentException("no budget for " + denoiser + " under the " + recipe + " recipe: give "
                    + denoiser + "=STEPS or " + denoiser + ":" + recipe + "=STEPS");
        }
        return shared;
    }

    record Trained(DiffusionModel model, EncodedCorpus.Split split, double seconds) {
    }

    /** Loads the saved model of this corpus, denoiser, recipe and budget, or trains and saves it. */
    private static Trained model(Plan plan, String corpusKey, List<String> names, String denoiser, String recipe,
            int steps) throws IOException {
        Path file = plan.models().resolve(corpusKey + "-" + denoiser + "-" + recipe + "-" + steps + ".safetensors");
        Path seconds = plan.models().resolve(file.getFileName() + ".seconds");
        if (Files.isRegularFile(file)) {
            DiffusionModel model = DiffusionModel.load(file);
            DataSplit split = model.split().orElseThrow(() -> new IOException(file + " has no data split"));
            double time = Files.isRegularFile(seconds) ? Double.parseDouble(Files.readString(seconds).trim()) : Double.NaN;
            System.out.printf("loaded %s%n", file);
            return new Trained(model, split.apply(model.encode(names)), time);
        }
        System.out.printf("training %s, %s recipe, %,d steps ...%n", denoiser, recipe, steps);
        TrainingRun run = TrainingRun.builder(names).denoiser(denoiser).recipe(recipe).steps(steps)
                .threads(plan.threads()).build();
        double time = run.train().wallSeconds();
        run.save(file);
        writeText(seconds, Double.toString(time));
        return new Trained(run.model(), new EncodedCorpus.Split(run.trainingSet(), run.validationSet()), time);
    }

    private static ModelResult score(Plan plan, Trained trained, String denoiser, String recipe, int steps,
            boolean nfeCurve) {
        DiffusionModel model = trained.model();
        Nelbo nelbo = model.evaluation().threads(plan.threads()).seed(TrainingRun.EVALUATION_SEED)
                .nelbo(trained.split().validation());
        System.out.printf("%s %s %,d steps: NELBO %.4f bits/char%n", denoiser, recipe, steps, nelbo.bitsPerChar());
        List<Point> points = new ArrayList<>();
        for (String sampler : plan.samplers()) {
            for (double tau : plan.temperatures()) {
                points.add(point(plan, trained, sampler, tau, null, true));
            }
        }
        // what keeping lengths does: the ancestral sampler at the lowest temperature, without it
        double lowest = plan.temperatures().stream().mapToDouble(Double::doubleValue).min().orElse(1);
        if (lowest != 1.0 && plan.samplers().contains("ancestral")) {
            points.add(point(plan, trained, "ancestral", lowest, null, false));
        }
        List<Point> nfe = new ArrayList<>();
        if (nfeCurve) {
            for (String sampler : plan.samplers()) {
                if (sampler.equals("first-hitting")) {
                    continue;
                }
                for (int t : plan.nfeSteps()) {
                    nfe.add(point(plan, trained, sampler, 1.0, t, true));
                }
            }
        }
        return new ModelResult(denoiser, recipe, steps, trained.seconds(), nelbo, points, nfe);
    }

    private static Point point(Plan plan, Trained trained, String sampler, double tau, Integer steps,
            boolean keepLengths) {
        DiffusionModel model = trained.model();
        Generation.Builder g = model.generation().count(plan.samples()).sampler(sampler).temperature(tau)
                .keepLengths(keepLengths).threads(plan.threads()).seed(1);
        if (steps != null) {
            g.steps(steps);
        }
        Generation generation = g.build();
        long start = System.nanoTime();
        Samples samples = generation.sample();
        double seconds = (System.nanoTime() - start) / 1e9;
        SampleQuality q = model.sampleQuality(samples.texts(), trained.split());
        double l1 = 0;
        for (int i = 0; i < q.lengthsSamples().length; i++) {
            l1 += Math.abs(q.lengthsSamples()[i] - q.lengthsData()[i]);
        }
        Point p = new Point(sampler, tau, generation.options().steps(), keepLengths, q.samplesNatsPerChar(),
                q.meanLength(), l1, q.novelFraction(), q.uniqueFraction(), samples.modelEvaluationsPerText(), seconds);
        System.out.printf(Locale.ROOT, "  %-14s τ %.1f T %3d%s: %.3f nats/char, length %.2f (L1 %.3f), %.0f %% novel, "
                + "%.0f %% unique, NFE %.1f, %.1f s%n", sampler, tau, p.steps(), keepLengths ? "" : " (PAD tempered)",
                p.natsPerChar(), p.meanLength(), p.lengthL1(), 100 * p.novel(), 100 * p.unique(), p.nfe(), seconds);
        return p;
    }

    private static void header(StringBuilder md, Plan plan, String skipped) {
        md.append("# Sample quality\n\n");
        md.append("Written by `QualityBenchmark` (benchmarks); the command is in the README. Each model is trained on "
                + "90 % of its corpus (split by seed 1) and judged on the other 10 %: validation NELBO in bits per "
                + "character (end of name counted), and for each sampler and temperature ")
                .append(plan.samples()).append(" names scored by the project's 4-gram Kneser–Ney model fitted on the "
                + "training split: nats per character (lower: more name-like; real held-out names give the figure "
                + "in each section's first line), mean length and the L1 distance between the samples' and the "
                + "data's length histograms, the novel (not a training name) and unique fractions, and NFE, the "
                + "denoiser rows computed per name. Temperatures keep lengths (PAD at its τ = 1 probability) unless "
                + "a row says \"PAD tempered\". Machine: ")
                .append(System.getProperty("os.arch")).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" processors, ").append(plan.threads()).append(" thread(s); JDK ")
                .append(System.getProperty("java.version")).append(".\n\n");
        if (skipped != null) {
            md.append("*").append(skipped).append(".*\n\n");
        }
    }

    private static void section(StringBuilder md, String title, String key, List<ModelResult> results,
            DiffusionModel model, EncodedCorpus.Split split, Plan plan, boolean reference) throws IOException {
        SampleQuality real = model.sampleQuality(split.validation().texts(), split);
        double realL1 = 0;
        for (int i = 0; i < real.lengthsSamples().length; i++) {
            realL1 += Math.abs(real.lengthsSamples()[i] - real.lengthsData()[i]);
        }
        md.append("## ").append(title).append("\n\n");
        md.append(String.format(Locale.ROOT, "Real held-out names: %.3f nats/char, mean length %.2f (L1 %.3f against "
                + "the training names), %,d training and %,d held-out names.%n%n", real.samplesNatsPerChar(),
                real.meanLength(), realL1, split.train().size(), split.validation().size()));
        md.append("| denoiser | recipe | steps | training time | validation NELBO, bits/char |\n|---|---|---|---|---|\n");
        for (ModelResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %.4f ± %.4f |%n", r.denoiser(), r.recipe(),
                    r.steps(), Double.isNaN(r.trainSeconds()) ? "—" : String.format(Locale.ROOT, "%.0f s",
                            r.trainSeconds()), r.nelbo().bitsPerChar(), r.nelbo().bitsPerCharError()));
        }
        md.append("\n");
        for (ModelResult r : results) {
            md.append("### ").append(r.denoiser()).append(", ").append(r.recipe()).append(" recipe, ")
                    .append(String.format(Locale.ROOT, "%,d", r.steps())).append(" steps\n\n");
            table(md, r.points());
            if (!r.nfePoints().isEmpty()) {
                md.append("Model evaluations against quality (τ 1.0, several T):\n\n");
                table(md, r.nfePoints());
            }
        }
        Map<String, List<ModelResult>> byDenoiser = new LinkedHashMap<>();
        for (ModelResult r : results) {
            byDenoiser.computeIfAbsent(r.denoiser(), d -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<ModelResult>> e : byDenoiser.entrySet()) {
            String name = "quality-" + key + "-" + e.getKey();
            frontier(plan.images().resolve(name + ".png"), e.getKey(), e.getValue(), reference
                    && e.getKey().equals("transformer"), real);
            md.append("![novelty against plausibility, ").append(e.getKey()).append("](")
                    .append(plan.out().toAbsolutePath().getParent().relativize(plan.images().toAbsolutePath()
                            .resolve(name + ".png")).toString().replace('\\', '/')).append(")\n\n");
            List<ModelResult> withNfe = e.getValue().stream().filter(r -> !r.nfePoints().isEmpty()).toList();
            if (!withNfe.isEmpty()) {
                String nfeName = "nfe-" + key + "-" + e.getKey();
                nfeChart(plan.images().resolve(nfeName + ".png"), e.getKey(), withNfe);
                md.append("![NFE against plausibility, ").append(e.getKey()).append("](")
                        .append(plan.out().toAbsolutePath().getParent().relativize(plan.images().toAbsolutePath()
                                .resolve(nfeName + ".png")).toString().replace('\\', '/')).append(")\n\n");
            }
        }
    }

    private static void table(StringBuilder md, List<Point> points) {
        md.append("| sampler | τ | T | nats/char | mean length | length L1 | novel | unique | NFE | seconds |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Point p : points) {
            md.append(String.format(Locale.ROOT, "| %s%s | %.1f | %s | %.3f | %.2f | %.3f | %.1f %% | %.1f %% | %.1f "
                    + "| %.1f |%n", p.sampler(), p.keepLengths() ? "" : " (PAD tempered)", p.temperature(),
                    p.sampler().equals("first-hitting") ? "—" : Integer.toString(p.steps()), p.natsPerChar(),
                    p.meanLength(), p.lengthL1(), 100 * p.novel(), 100 * p.unique(), p.nfe(), p.seconds()));
        }
        md.append("\n");
    }

    /** Novelty against 4-gram nats/char: one curve per recipe and sampler, a point per temperature. */
    private static void frontier(Path file, String denoiser, List<ModelResult> results, boolean withPeer,
            SampleQuality real) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(600)
                .title(denoiser + ": novelty against plausibility (a point per temperature)")
                .xAxisTitle("% novel names").yAxisTitle("4-gram NLL, nats per character (lower: more name-like)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (ModelResult r : results) {
            Map<String, List<Point>> bySampler = new LinkedHashMap<>();
            for (Point p : r.points()) {
                if (p.keepLengths()) {
                    bySampler.computeIfAbsent(p.sampler(), s -> new ArrayList<>()).add(p);
                }
            }
            bySampler.forEach((sampler, ps) -> chart.addSeries(r.recipe() + ", " + sampler,
                    ps.stream().mapToDouble(p -> 100 * p.novel()).toArray(),
                    ps.stream().mapToDouble(Point::natsPerChar).toArray()));
        }
        if (withPeer) {
            double[] x = new double[AUTOREGRESSIVE_PEER.length];
            double[] y = new double[AUTOREGRESSIVE_PEER.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = 100 * AUTOREGRESSIVE_PEER[i][0];
                y[i] = AUTOREGRESSIVE_PEER[i][1];
            }
            XYSeries peer = chart.addSeries("autoregressive peer (issue 15, quoted)", x, y);
            peer.setLineColor(Color.BLACK);
            peer.setMarkerColor(Color.BLACK);
        }
        // the held-out line spans the points only, so the axis stays on them
        double low = 100;
        double high = 0;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double x : series.getXData()) {
                low = Math.min(low, x);
                high = Math.max(high, x);
            }
        }
        XYSeries held = chart.addSeries("real held-out names", new double[] {Math.floor(low), Math.ceil(high)},
                new double[] {real.samplesNatsPerChar(), real.samplesNatsPerChar()});
        held.setMarker(SeriesMarkers.NONE);
        held.setLineColor(Color.GRAY);
        save(chart, file);
    }

    /** NFE against nats/char at τ 1.0: one curve per recipe and sampler, a point per step count. */
    private static void nfeChart(Path file, String denoiser, List<ModelResult> results) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(600)
                .title(denoiser + ": model evaluations per name against plausibility (τ 1.0)")
                .xAxisTitle("NFE, denoiser rows computed per name").yAxisTitle("4-gram NLL, nats per character")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        for (ModelResult r : results) {
            Map<String, List<Point>> bySampler = new LinkedHashMap<>();
            for (Point p : r.nfePoints()) {
                bySampler.computeIfAbsent(p.sampler(), s -> new ArrayList<>()).add(p);
            }
            for (Point p : r.points()) {
                if (p.sampler().equals("first-hitting") && p.temperature() == 1.0) {
                    bySampler.computeIfAbsent(p.sampler(), s -> new ArrayList<>()).add(p);
                }
            }
            bySampler.forEach((sampler, ps) -> chart.addSeries(r.recipe() + ", " + sampler,
                    ps.stream().mapToDouble(Point::nfe).toArray(),
                    ps.stream().mapToDouble(Point::natsPerChar).toArray()));
        }
        save(chart, file);
    }

    private static void save(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    static Plan parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        List<String> known = List.of("reference-data", "out", "images", "models", "samples", "threads", "steps",
                "reference-steps", "recipes", "samplers", "temperatures", "nfe-steps");
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; known: --" + String.join(", --",
                        known));
            }
        }
        Path out = Path.of(options.getOrDefault("out", "docs/QUALITY.md"));
        Path images = Path.of(options.getOrDefault("images", out.toAbsolutePath().getParent().resolve("images")
                .toString()));
        Plan plan = new Plan(Path.of(options.getOrDefault("reference-data", "../shared/data/names.txt")), out, images,
                Path.of(options.getOrDefault("models", "target/quality-models")),
                positive("samples", options.getOrDefault("samples", "2000")),
                positive("threads", options.getOrDefault("threads",
                        Integer.toString(Runtime.getRuntime().availableProcessors()))),
                budgets("steps", options.getOrDefault("steps", "mlp=5000,mlp-skip=5000,transformer=3000")),
                budgets("reference-steps", options.getOrDefault("reference-steps", "")),
                List.of(options.getOrDefault("recipes", "reference,tuned").split(",")),
                List.of(options.getOrDefault("samplers", "confidence,ancestral,first-hitting,remdm").split(",")),
                List.of(options.getOrDefault("temperatures", "0.6,0.8,1.0,1.2").split(",")).stream()
                        .map(t -> number("temperatures", t)).toList(),
                List.of(options.getOrDefault("nfe-steps", "8,16,32,64").split(",")).stream()
                        .map(t -> positive("nfe-steps", t)).toList());
        // every sampler, temperature and budget is checked on a small model before any long training
        DiffusionModel probe;
        try {
            TrainingRun tiny = TrainingRun.builder(List.of("ab", "cd", "ef")).steps(1).threads(1).build();
            tiny.train();
            probe = tiny.model();
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        for (String sampler : plan.samplers()) {
            for (double tau : plan.temperatures()) {
                probe.generation().sampler(sampler).temperature(tau).build();
            }
        }
        for (Map<String, Integer> steps : List.of(plan.steps(), merged(plan))) {
            for (String denoiser : denoisers(steps)) {
                for (String recipe : plan.recipes()) {
                    try {
                        TrainingRun.builder(List.of("ab", "cd")).denoiser(denoiser).recipe(recipe)
                                .steps(budget(steps, denoiser, recipe)).threads(1).build();
                    } catch (IOException e) {
                        throw new IllegalArgumentException(e.getMessage());
                    }
                }
            }
        }
        try {
            writeText(out, "# Sample quality\n\n*Being measured by QualityBenchmark.*\n");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + out + ": " + e.getMessage());
        }
        return plan;
    }

    private static Map<String, Integer> merged(Plan plan) {
        Map<String, Integer> steps = new LinkedHashMap<>(plan.steps());
        steps.putAll(plan.referenceSteps());
        return steps;
    }

    private static Map<String, Integer> budgets(String option, String text) {
        Map<String, Integer> budgets = new LinkedHashMap<>();
        if (text.isBlank()) {
            return budgets;
        }
        for (String item : text.split(",")) {
            String[] kv = item.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("--" + option + " takes denoiser=steps pairs, got '" + item + "'");
            }
            budgets.put(kv[0], positive(option, kv[1]));
        }
        return budgets;
    }

    private static int positive(String option, String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value < 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + " takes positive integers, got '" + text + "'");
        }
    }

    private static double number(String option, String text) {
        try {
            double value = Double.parseDouble(text.trim());
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + " takes positive numbers, got '" + text + "'");
        }
    }

    /** A text file written whole or not at all. */
    private static void writeText(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }
}
