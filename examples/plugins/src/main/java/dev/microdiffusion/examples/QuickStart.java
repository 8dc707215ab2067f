package dev.microdiffusion.examples;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.FillMask;
import dev.microdiffusion.core.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The library from code, the README's snippet: train a denoiser on names, evaluate it, generate free and with a
 * template, predict masked characters, save and load it back. {@code QuickStart [DENOISER [NAMES_FILE]]}: any
 * denoiser name works ({@code QuickStart transformer}); without a file, the default corpus.
 */
public final class QuickStart {

    private QuickStart() {
    }

    public static void main(String[] args) throws IOException {
        String denoiser = args.length > 0 ? args[0] : "mlp";
        List<String> names = args.length > 1 ? Files.readAllLines(Path.of(args[1])) : DefaultCorpus.names();
        quickStart(names, denoiser);
    }

    // the snippet uses the library's API alone: a test compiles it against the library's jars and nothing else
    // --8<-- [start:snippet]
    static void quickStart(List<String> names, String denoiser) throws IOException {
        TrainingRun run = TrainingRun.builder(names).denoiser(denoiser).steps(2000).seed(42).build();
        run.train();
        System.out.printf("validation NELBO %.3f bits/char%n", run.evaluate().bitsPerChar());

        DiffusionModel model = run.model();
        System.out.println(model.generation().count(10).generate());
        System.out.println(model.generation().count(5).sampler("ancestral").template("ma__a").generate());
        FillMask guesses = model.predict("em__a");
        for (FillMask.Position p : guesses.masked()) {
            System.out.println("position " + p.index() + ": " + guesses.top(p, 3));
        }

        Path file = Files.createTempFile("quickstart", ".safetensors");
        run.save(file);
        DiffusionModel back = DiffusionModel.load(file);
        System.out.println(back.generation().count(10).generate());
        Files.delete(file);
    }
    // --8<-- [end:snippet]
}
