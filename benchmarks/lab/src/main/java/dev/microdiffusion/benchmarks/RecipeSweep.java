package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.evaluation.DecodingOrder;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.evaluation.OrderedLikelihood;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.training.LearningRatePolicy;
import dev.microdiffusion.core.training.Objective;
import dev.microdiffusion.core.training.TimeDraw;
import dev.microdiffusion.core.training.TrainingConfig;
import dev.microdiffusion.core.training.TrainingResult;
import dev.microdiffusion.examples.DefaultCorpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains one denoiser under several variants of its recipe on the same data (a file, or {@code default} for the
 * default corpus), split and seed, and prints each one's
 * validation NELBO and time: the evidence a tuned recipe is chosen by. A variant is a comma-separated list of changes
 * to the denoiser's reference recipe ({@code lr=1e-3,policy=warmup-cosine-decay,ema=0.999,warmup=500,floor=0.05,
 * batch=128,objective=mdlm,wd=0.01,time=independent}), and of the denoiser's settings ({@code denoiser.dropout=0.1,
 * denoiser.d_model=72}, beside a recipe: {@code tuned,denoiser.dropout=0.1}) and the tokenizer ({@code
 * tokenizer=char}); {@code reference} alone is the reference recipe, {@code tuned} the tuned one (first in a
 * list, the tuned recipe with the list's changes: {@code tuned,lr=3e-3}), {@code plug-in} the recipe of a provider
 * that states none ({@code TrainingConfig.plugIn()}) and {@code mlp-reference} the reference MLPs'. Each line is
 * followed by the exact NLL of the held-out texts in each {@link DecodingOrder}. With {@code -Dsave=DIR} each variant's trained model is saved in DIR (its file named by the
 * denoiser, steps and variant), for the command line's {@code eval}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/lab/target/lab.jar \
 *     dev.microdiffusion.benchmarks.RecipeSweep ../shared/data/names.txt transformer 15000 1 \
 *     reference lr=1e-3,policy=warmup-cosine-decay,ema=0.999
 * </pre>
 */
public final class RecipeSweep {

    /** The variant that trains with the recipe of a provider that states none. */
    private static final String PLUG_IN = "plug-in";
    /** The variant that trains with the reference MLPs' recipe, whatever the denoiser. */
    private static final String MLP_REFERENCE = "mlp-reference";
    /** Names the run's tokenizer rather than a change of the recipe. */
    private static final String TOKENIZER_PREFIX = "tokenizer=";
    /** Marks a change of the denoiser's settings rather than of the recipe. */
    private static final String DENOISER_PREFIX = "denoiser.";

    private RecipeSweep() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: RecipeSweep DATA DENOISER STEPS THREADS VARIANT...");
            System.exit(2);
        }
        // "default": the default corpus (datafaker's first names)
        List<String> names = args[0].equals("default") ? DefaultCorpus.names()
                : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        String denoiser = args[1];
        int steps = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        System.out.printf("%s, %,d steps, %d thread(s), %s (%,d lines)%n", denoiser, steps, threads, args[0],
                names.size());
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, denoiser);
        String saveTo = System.getProperty("save");
        for (int v = 4; v < args.length; v++) {
            TrainingRun.Builder builder = TrainingRun.builder(names).denoiser(denoiser).threads(threads);
            // the denoiser's settings go to the builder, the rest of the variant to the recipe
            StringBuilder recipeChanges = new StringBuilder();
            for (String change : args[v].split(",")) {
                if (change.startsWith(TOKENIZER_PREFIX)) {
                    builder.tokenizer(change.substring(TOKENIZER_PREFIX.length()));
                } else if (change.startsWith(DENOISER_PREFIX)) {
                    String[] kv = change.substring(DENOISER_PREFIX.length()).split("=", 2);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("a change is key=value, got '" + change + "'");
                    }
                    builder.denoiserSetting(kv[0], kv[1]);
                } else {
                    recipeChanges.append(recipeChanges.length() > 0 ? "," : "").append(change);
                }
            }
            String recipe = recipeChanges.length() > 0 ? recipeChanges.toString() : TrainingRun.Builder.REFERENCE_RECIPE;
            if (recipe.equals(TrainingRun.Builder.TUNED_RECIPE)) {
                builder.recipe(TrainingRun.Builder.TUNED_RECIPE);
            } else if (recipe.startsWith(TrainingRun.Builder.TUNED_RECIPE + ",")) {
                builder.recipe(variant(provider.tunedTraining(),
                        recipe.substring(TrainingRun.Builder.TUNED_RECIPE.length() + 1)));
            } else if (recipe.equals(PLUG_IN)) {
                builder.recipe(TrainingConfig.plugIn());
            } else if (recipe.equals(MLP_REFERENCE)) {
                builder.recipe(TrainingConfig.reference());
            } else {
                builder.recipe(variant(provider.referenceTraining(), recipe));
            }
            TrainingRun run = builder.steps(steps).build();
            TrainingResult result = run.train();
            if (saveTo != null) {
                // the trained model, for sample quality and the command line: a file per variant
                Path file = Path.of(saveTo).resolve(denoiser + "-" + steps + "-" + args[v].replaceAll("[^A-Za-z0-9.=-]+", "_")
                        + ".safetensors");
                run.save(file);
                System.out.println("saved " + file);
            }
            Nelbo nelbo = run.evaluate();
            System.out.printf("%-70s NELBO %.4f ± %.4f bits/char  last-1000 loss %.4f (sd %.4f)  %.0f s (%.1f "
                    + "steps/s)%n", args[v], nelbo.bitsPerChar(), nelbo.bitsPerCharError(), result.meanLossOfLast(1000),
                    spread(result.losses(), 1000), result.wallSeconds(), steps / result.wallSeconds());
            StringBuilder exact = new StringBuilder("    exact NLL in a fixed order:");
            for (DecodingOrder order : DecodingOrder.values()) {
                OrderedLikelihood o = run.model().evaluation().threads(threads).ordered(run.validationSet(), order);
                exact.append(String.format("  %s %.4f ± %.4f", order, o.bitsPerChar(), o.bitsPerCharError()));
            }
            System.out.println(exact.append(" bits/char"));
        }
    }

    /**
     * The standard deviation of the last {@code n} losses: the step-to-step spread of the objective's estimate (the
     * model changes little over them late in a run).
     */
    static double spread(double[] losses, int n) {
        int from = Math.max(0, losses.length - n);
        double mean = 0;
        for (int i = from; i < losses.length; i++) {
            mean += losses[i];
        }
        mean /= losses.length - from;
        double sum = 0;
        for (int i = from; i < losses.length; i++) {
            sum += (losses[i] - mean) * (losses[i] - mean);
        }
        return Math.sqrt(sum / Math.max(1, losses.length - from - 1));
    }

    /** The recipe with a variant's changes. */
    static TrainingConfig variant(TrainingConfig base, String spec) {
        TrainingConfig.Builder b = base.toBuilder();
        if (spec.equals(TrainingRun.Builder.REFERENCE_RECIPE)) {
            return base;
        }
        for (String change : spec.split(",")) {
            String[] kv = change.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("a change is key=value, got '" + change + "'");
            }
            String value = kv[1];
            switch (kv[0]) {
                case "lr" -> b.learningRate(Double.parseDouble(value));
                case "policy" -> b.policy(LearningRatePolicy.parse(value));
                case "ema" -> b.emaDecay(Double.parseDouble(value));
                case "warmup" -> b.warmupSteps(Integer.parseInt(value));
                case "floor" -> b.minLearningRateFraction(Double.parseDouble(value));
                case "batch" -> b.batchSize(Integer.parseInt(value));
                case "objective" -> b.objective(Objective.parse(value));
                case "wd" -> b.weightDecay(Double.parseDouble(value));
                case "time" -> b.timeDraw(TimeDraw.parse(value));
                case "T" -> b.diffusionSteps(Integer.parseInt(value));
                default -> throw new IllegalArgumentException("unknown change '" + kv[0] + "'");
            }
        }
        return b.build();
    }
}
