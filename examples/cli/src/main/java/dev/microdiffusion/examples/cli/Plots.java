package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.evaluation.Nelbo;
import dev.microdiffusion.core.io.AtomicFiles;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.training.TrainingResult;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;

/** The PNG charts of {@code train --plot} and {@code eval --plot} (XChart, rendered headless). */
final class Plots {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 480;

    private final Path dir;

    Plots(Path dir) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        this.dir = dir;
        checkTarget(dir);
        Files.createDirectories(dir);
    }

    /** Refuses a chart directory that cannot be one (creating it); commands call it before their work, not after. */
    static void checkTarget(Path dir) {
        try {
            AtomicFiles.checkWritableDirectory(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--plot: " + e.getMessage(), e);
        }
    }

    /** The charts of a training run: loss and NELBO, the schedule, lengths and reveal order of its names. */
    static void trainingRun(Path dir, TrainingRun run, TrainingResult result, List<EvalPoint> curve,
            EvaluationPrinter.QualityReport quality, List<String> names, RevealTracker reveals, String sampler)
            throws IOException {
        DiffusionModel model = run.model();
        Plots plots = new Plots(dir);
        plots.training(result.losses(), curve, model.denoiser().name() + ", objective "
                + run.recipe().objective().option());
        plots.schedule(model.schedule());
        if (quality != null) {
            plots.lengths(quality.quality().lengthsSamples(), quality.quality().lengthsData(),
                    "lengths: " + names.size() + " generated names against the training names");
        }
        if (!names.isEmpty()) {
            plots.revealOrder(reveals, "reveal order, sampler " + sampler + " (" + names.size() + " names)");
        }
    }

    /** The charts of an evaluation: the schedule, lengths and reveal order of its names, the saved loss, guidance. */
    static void evaluation(Path dir, DiffusionModel model, EvaluationPrinter.QualityReport quality, int samples,
            RevealTracker reveals, GuidanceSweep.Report sweep) throws IOException {
        Plots plots = new Plots(dir);
        plots.schedule(model.schedule());
        if (quality != null) {
            plots.lengths(quality.quality().lengthsSamples(), quality.quality().lengthsData(),
                    "lengths: " + samples + " generated names against the training names");
            plots.revealOrder(reveals, "reveal order, sampler " + quality.sampler() + " (" + samples + " names)");
        }
        if (model.history().isPresent()) {
            DiffusionModel.History history = model.history().get();
            plots.training(history.losses(), List.of(), model.denoiser().name() + ", objective "
                    + history.recipe().objective().option());
        }
        if (sweep != null) {
            plots.guidance(sweep);
        }
    }

    /** A validation point: after this many steps, this NELBO in bits per character. */
    record EvalPoint(int step, double bitsPerChar, double error) {

        /** A run's evaluation points, and its final NELBO (if any) at its last step. */
        static List<EvalPoint> curve(TrainingRun run, Nelbo last) {
            List<EvalPoint> curve = new ArrayList<>(run.evaluations().stream()
                    .map(p -> new EvalPoint(p.steps(), p.result().bitsPerChar(), p.result().bitsPerCharError()))
                    .toList());
            if (last != null) {
                curve.add(new EvalPoint(run.step(), last.bitsPerChar(), last.bitsPerCharError()));
            }
            return curve;
        }
    }

    /** Training loss (mean of each 100 steps) and, on a second axis, the validation NELBO. */
    Path training(double[] losses, List<EvalPoint> validation, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step")
                .yAxisTitle("training loss (mean of 100 steps)").build();
        int points = losses.length / 100;
        if (points > 0) {
            double[] x = new double[points];
            double[] y = new double[points];
            for (int p = 0; p < points; p++) {
                double sum = 0;
                for (int i = p * 100; i < (p + 1) * 100; i++) {
                    sum += losses[i];
                }
                x[p] = (p + 1) * 100;
                y[p] = sum / 100;
            }
            chart.addSeries("training loss", x, y).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
        if (!validation.isEmpty()) {
            double[] x = validation.stream().mapToDouble(EvalPoint::step).toArray();
            double[] y = validation.stream().mapToDouble(EvalPoint::bitsPerChar).toArray();
            double[] e = validation.stream().mapToDouble(EvalPoint::error).toArray();
            XYSeries s = chart.addSeries("validation NELBO (bits/char)", x, y, e);
            s.setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "validation NELBO, bits per character");
        }
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        return save(chart, "training");
    }

    /** rate(t) and α(t) of a schedule. */
    Path schedule(NoiseSchedule schedule) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("schedule " + schedule.name() + ": mask rate over diffusion time").xAxisTitle("t")
                .yAxisTitle("probability").build();
        int n = 201;
        double[] t = new double[n];
        double[] rate = new double[n];
        double[] alpha = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i / (double) (n - 1);
            rate[i] = schedule.rate(t[i]);
            alpha[i] = schedule.alpha(t[i]);
        }
        chart.addSeries("rate(t): masked", t, rate).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        chart.addSeries("α(t): still clean", t, alpha).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        return save(chart, "schedule");
    }

    /** Length histograms of generated names and of the data. */
    Path lengths(double[] samples, double[] data, String title) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("name length").yAxisTitle("fraction").build();
        List<Integer> x = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Double> yd = new ArrayList<>();
        for (int i = 0; i < samples.length; i++) {
            x.add(i);
            ys.add(samples[i]);
            yd.add(data[i]);
        }
        chart.addSeries("generated", x, ys);
        chart.addSeries("data", x, yd);
        return save(chart, "lengths");
    }

    /** A heat map of when each position was revealed: percent of names revealing position p at step s. */
    Path revealOrder(RevealTracker tracker, String title) throws IOException {
        double[][] f = tracker.fractions();
        int steps = f.length;
        int length = f[0].length;
        // only the steps at which something was revealed: a sampler that finishes early leaves the rest empty
        int used = 0;
        for (int s = 0; s < steps; s++) {
            for (int p = 0; p < length; p++) {
                if (f[s][p] > 0) {
                    used = s + 1;
                }
            }
        }
        used = Math.max(used, 1);
        int[] x = new int[length];
        for (int p = 0; p < length; p++) {
            x[p] = p + 1;
        }
        int[] y = new int[used];
        for (int s = 0; s < used; s++) {
            y[s] = s + 1;
        }
        // XChart reads an int matrix as heat[x index][y index]
        int[][] heat = new int[length][used];
        for (int p = 0; p < length; p++) {
            for (int s = 0; s < used; s++) {
                heat[p][s] = (int) Math.round(100 * f[s][p]);
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(Math.max(HEIGHT, 30 + 14 * used))
                .title(title).xAxisTitle("position").yAxisTitle("reverse step (1 = first)").build();
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0x6BAED6), new Color(0x08306B)});
        chart.getStyler().setMin(0).setMax(100);
        chart.getStyler().setShowValue(false);
        chart.addSeries("% of names revealing the position at the step", x, y, heat);
        return save(chart, "reveal-order");
    }

    /** Guidance's trade-off: the share of names carrying their label against their 4-gram NLL, one line per label. */
    Path guidance(GuidanceSweep.Report report) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("classifier-free guidance: label against plausibility (points at γ = "
                        + report.points().stream().map(p -> String.valueOf(p.guidance())).distinct()
                                .collect(Collectors.joining(", ")) + ")")
                .xAxisTitle("4-gram NLL of the names, nats per character (lower: more name-like)")
                .yAxisTitle("% of names the classifier gives the label asked for").build();
        for (String label : report.labels()) {
            List<GuidanceSweep.Point> points = report.points().stream().filter(p -> p.label().equals(label)).toList();
            chart.addSeries(label, points.stream().mapToDouble(GuidanceSweep.Point::natsPerChar).toArray(),
                    points.stream().mapToDouble(p -> 100 * p.withLabel()).toArray());
        }
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        return save(chart, "guidance");
    }

    private Path save(Chart<?, ?> chart, String name) throws IOException {
        Path file = dir.resolve(name + ".png");
        // whole or not at all: a full disk must not leave a truncated PNG where a good one was
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        return file;
    }
}
