package dev.microdiffusion.examples;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.internal.checkpoint.Checkpoint;
import dev.microdiffusion.core.internal.checkpoint.ModelParts;
import dev.microdiffusion.core.internal.training.TrainingState;
import java.io.IOException;
import java.nio.file.Path;

/** The checkpoint format driven with a façade model, for the tests that save training states by hand. */
final class CheckpointFiles {

    private CheckpointFiles() {
    }

    static ModelParts parts(DiffusionModel model) {
        return new ModelParts(model.tokenizer(), model.denoiser(), model.schedule(), model.diffusionSteps(),
                model.split().orElse(null), model.labels());
    }

    static void save(Path file, DiffusionModel model) throws IOException {
        Checkpoint.save(file, parts(model));
    }

    static void save(Path file, DiffusionModel model, TrainingState state) throws IOException {
        Checkpoint.save(file, parts(model), state);
    }

    /** The model of a loaded file (with no history: the tests that need one load through the façade). */
    static DiffusionModel model(Checkpoint.Loaded loaded) {
        ModelParts p = loaded.parts();
        return new DiffusionModel(p.tokenizer(), p.denoiser(), p.schedule(), p.diffusionSteps(), p.split(), null,
                p.labels());
    }
}
