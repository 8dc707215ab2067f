package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.FillMask;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Parameters(index = "0", paramLabel = "TEMPLATE", description = "text with '_' for each masked position")
    String template;

    @Option(names = "--t", defaultValue = "" + FillMask.DEFAULT_TIME, description = "the diffusion time given to the model, in [0, 1] (${DEFAULT-VALUE})")
    double t;

    @Option(names = "--top", defaultValue = "5", description = "candidates shown per masked position (${DEFAULT-VALUE})")
    int top;

    @Option(names = "--json", paramLabel = "FILE",
            description = "write the probabilities of every symbol at every position as JSON ('-': standard output)")
    Path json;

    @Override
    public Integer call() throws IOException {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("--t must be in [0, 1], got " + t);
        }
        if (top < 1) {
            throw new IllegalArgumentException("--top must be ≥ 1, got " + top);
        }
        JsonOutput.check(json, "--json");
        PrintWriter out = spec.commandLine().getOut();
        DiffusionModel loaded = model.load();
        FillMask prediction = loaded.predict(template, t);
        if (json != null) {
            List<Map<String, Object>> positions = new ArrayList<>();
            for (FillMask.Position position : prediction.positions()) {
                Map<String, Double> distribution = new LinkedHashMap<>();
                double[] p = position.probabilities();
                for (int id = 0; id < p.length; id++) {
                    distribution.put(prediction.symbols().get(id), p[id]);
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("position", position.index());
                entry.put("input", position.input());
                entry.put("probabilities", distribution);
                positions.add(entry);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("template", template);
            result.put("t", t);
            result.put("positions", positions);
            JsonOutput.write(json, result, out);
            if (!JsonOutput.toStdout(json)) {
                out.println("report written to " + json);
            }
        } else {
            StringBuilder row = new StringBuilder();
            prediction.positions().forEach(p -> row.append(CanvasView.symbol(p.input())));
            out.printf("%s at t = %.2f:%n", row, t);
            for (FillMask.Position position : prediction.masked()) {
                StringBuilder line = new StringBuilder(String.format("  position %2d:", position.index()));
                for (FillMask.Candidate c : prediction.top(position, top)) {
                    line.append(String.format("  %s %.3f", c.symbol(), c.probability()));
                }
                out.println(line);
            }
        }
        out.flush();
        return 0;
    }
}
