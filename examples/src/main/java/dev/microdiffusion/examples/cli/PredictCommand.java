package dev.microdiffusion.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.microdiffusion.core.Denoiser;
import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Tokenizer;
import dev.microdiffusion.core.math.Softmax;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Like a fill-mask pipeline: one model call on a template where '_' marks a masked position, then the most likely
 * symbols at each masked position (or, with --json, the whole distribution at every position).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict the masked positions ('_') of a template, e.g. predict --model m.safetensors \"em__a\".")
public final class PredictCommand implements Callable<Integer> {

    static final char MASK = '_';

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Parameters(index = "0", paramLabel = "TEMPLATE", description = "text with '_' for each masked position")
    String template;

    @Option(names = "--t", defaultValue = "0.5", description = "the diffusion time given to the model, in [0, 1] (${DEFAULT-VALUE})")
    double t;

    @Option(names = "--top", defaultValue = "5", description = "candidates shown per masked position (${DEFAULT-VALUE})")
    int top;

    @Option(names = "--json", description = "print the probabilities of every symbol at every position as JSON")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("--t must be in [0, 1], got " + t);
        }
        PrintWriter out = spec.commandLine().getOut();
        DiffusionModel loaded = model.load().model();
        Tokenizer tokenizer = loaded.tokenizer();
        int[] ids = encodeTemplate(tokenizer, template);
        Denoiser denoiser = loaded.denoiser();
        int vocab = tokenizer.vocabSize();
        float[] logits = new float[ids.length * vocab];
        denoiser.newPass(1).forward(ids, new float[] {(float) t}, 1, logits);

        double[] p = new double[vocab];
        if (json) {
            List<Map<String, Object>> positions = new ArrayList<>();
            for (int pos = 0; pos < ids.length; pos++) {
                Softmax.probabilities(logits, pos * vocab, vocab, 1.0, p);
                Map<String, Double> distribution = new LinkedHashMap<>();
                for (int id = 0; id < vocab; id++) {
                    distribution.put(tokenizer.symbol(id), p[id]);
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("position", pos);
                entry.put("input", tokenizer.symbol(ids[pos]));
                entry.put("probabilities", distribution);
                positions.add(entry);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("template", template);
            result.put("t", t);
            result.put("positions", positions);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        } else {
            out.printf("%s at t = %.2f:%n", CanvasView.row(tokenizer, ids, 0, ids.length), t);
            for (int pos = 0; pos < ids.length; pos++) {
                if (ids[pos] != tokenizer.maskId()) {
                    continue;
                }
                Softmax.probabilities(logits, pos * vocab, vocab, 1.0, p);
                StringBuilder line = new StringBuilder(String.format("  position %2d:", pos));
                for (int id : topIds(p, Math.min(top, vocab))) {
                    line.append(String.format("  %s %.3f", tokenizer.symbol(id), p[id]));
                }
                out.println(line);
            }
        }
        out.flush();
        return 0;
    }

    /** The template's ids: '_' → MASK, other characters as the tokenizer encodes them, PAD to the row length. */
    static int[] encodeTemplate(Tokenizer tokenizer, String template) {
        String text = tokenizer.normalize(template);
        int length = text.codePointCount(0, text.length());
        if (length == 0) {
            throw new IllegalArgumentException("the template is empty");
        }
        if (length > tokenizer.maxLength()) {
            throw new IllegalArgumentException("the template has " + length + " positions, the model's rows "
                    + tokenizer.maxLength());
        }
        // encode with MASK positions as any known symbol, then put MASK back: one encoder, one set of errors
        String known = tokenizer.symbol(0);
        int[] ids = tokenizer.encode(text.replace(String.valueOf(MASK), known));
        int i = 0;
        for (int at = 0; at < text.length(); at += Character.charCount(text.codePointAt(at))) {
            if (text.codePointAt(at) == MASK) {
                ids[i] = tokenizer.maskId();
            }
            i++;
        }
        return ids;
    }

    private static int[] topIds(double[] p, int k) {
        int[] best = new int[k];
        boolean[] taken = new boolean[p.length];
        for (int n = 0; n < k; n++) {
            int arg = -1;
            for (int id = 0; id < p.length; id++) {
                if (!taken[id] && (arg < 0 || p[id] > p[arg])) {
                    arg = id;
                }
            }
            taken[arg] = true;
            best[n] = arg;
        }
        return best;
    }
}
