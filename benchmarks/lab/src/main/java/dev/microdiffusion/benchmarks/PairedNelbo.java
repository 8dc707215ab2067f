package dev.microdiffusion.benchmarks;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.TextScore;
import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Two models' held-out NELBO and their difference with its paired standard error. Both are scored text by text on
 * the texts their runs held out (the same split), each text with the same mask draws under both (the draws are keyed
 * by the seed and the text), so the difference's error is that of the per-text differences: far smaller than either
 * NELBO's own, which mostly says how hard the texts are.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/lab/target/lab.jar \
 *     dev.microdiffusion.benchmarks.PairedNelbo ../shared/data/names.txt a.safetensors b.safetensors [threads]
 * </pre>
 */
public final class PairedNelbo {

    private PairedNelbo() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PairedNelbo DATA MODEL_A MODEL_B [THREADS]");
            System.exit(2);
        }
        List<String> corpus = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        DiffusionModel a = DiffusionModel.load(Path.of(args[1]));
        DiffusionModel b = DiffusionModel.load(Path.of(args[2]));
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        List<String> heldOut = heldOut(a, corpus);
        if (!heldOut.equals(heldOut(b, corpus))) {
            System.err.println("error: the two runs held out different texts");
            System.exit(2);
        }
        List<TextScore> scoresA = a.scoring().threads(threads).score(heldOut);
        List<TextScore> scoresB = b.scoring().threads(threads).score(heldOut);
        int n = heldOut.size();
        long symbols = 0;
        double sumA = 0;
        double sumB = 0;
        double[] difference = new double[n];
        for (int i = 0; i < n; i++) {
            symbols += heldOut.get(i).codePointCount(0, heldOut.get(i).length()) + 1;
            sumA += scoresA.get(i).natsPerText();
            sumB += scoresB.get(i).natsPerText();
            difference[i] = scoresA.get(i).natsPerText() - scoresB.get(i).natsPerText();
        }
        double mean = (sumA - sumB) / n;
        double variance = 0;
        for (double d : difference) {
            variance += (d - mean) * (d - mean);
        }
        double perSymbol = n / (symbols * Math.log(2)); // nats per text → bits per character
        double error = Math.sqrt(variance / (n - 1) / n) * perSymbol;
        System.out.printf("%d held-out texts, %d characters with their ends%n", n, symbols);
        System.out.printf("A %s: NELBO %.4f bits/char%n", args[1], sumA / n * perSymbol);
        System.out.printf("B %s: NELBO %.4f bits/char%n", args[2], sumB / n * perSymbol);
        System.out.printf("A − B: %+.4f ± %.4f bits/char (paired standard error)%n", mean * perSymbol, error);
    }

    private static List<String> heldOut(DiffusionModel model, List<String> corpus) {
        DataSplit split = model.split().orElseThrow(() -> new IllegalArgumentException(
                "the model does not say how its run split the data"));
        EncodedCorpus all = model.tokenizer().encodeCorpus(corpus);
        return split.apply(all).validation().texts();
    }
}
