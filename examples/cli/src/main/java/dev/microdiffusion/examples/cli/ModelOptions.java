package dev.microdiffusion.examples.cli;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.io.LoadOptions;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options to load a saved model; the optional ones fill in metadata a file lacks (e.g. one written by PyTorch). */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "a model saved with train --save")
    Path model;

    @Option(names = "--denoiser", description = "denoiser, when the file does not say (e.g. transformer)")
    String denoiser;

    @Option(names = "--vocabulary", description = "symbols in id order, when the file does not say (e.g. abcdefghijklmnopqrstuvwxyz)")
    String vocabulary;

    @Option(names = "--max-length", description = "row length, when the file does not say")
    Integer maxLength;

    @Option(names = "--diffusion-steps", description = "T, when the file does not say")
    Integer diffusionSteps;

    DiffusionModel load() throws IOException {
        return DiffusionModel.load(model, new LoadOptions(denoiser, vocabulary, maxLength, diffusionSteps,
                null, null));
    }
}
