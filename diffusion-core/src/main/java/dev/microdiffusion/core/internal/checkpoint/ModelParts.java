package dev.microdiffusion.core.internal.checkpoint;

import dev.microdiffusion.core.corpus.DataSplit;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.List;

/**
 * What a checkpoint holds of a model, apart from its training: the parts a {@code DiffusionModel} is made of. The
 * façade hands these to {@link Checkpoint} and builds itself from them, so that the file format knows no façade.
 *
 * @param split  how the run split its corpus, or null
 * @param labels the label names, label id i at index i; empty for an unconditional model
 */
public record ModelParts(Tokenizer tokenizer, Denoiser denoiser, NoiseSchedule schedule, int diffusionSteps,
        DataSplit split, List<String> labels) {

    public ModelParts {
        labels = List.copyOf(labels);
    }
}
