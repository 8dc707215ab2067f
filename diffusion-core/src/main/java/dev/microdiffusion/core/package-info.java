/**
 * What a user calls: train a model on a corpus ({@link dev.microdiffusion.core.TrainingRun}), load and use one
 * ({@link dev.microdiffusion.core.DiffusionModel}): generate texts ({@link dev.microdiffusion.core.Generation}),
 * score them ({@link dev.microdiffusion.core.Scoring}), make pseudonyms ({@link
 * dev.microdiffusion.core.Pseudonymiser}) and share one model between the threads of a JVM ({@link
 * dev.microdiffusion.core.SharedModels}, {@link dev.microdiffusion.core.ModelHandle}).
 *
 * <pre>{@code
 * TrainingRun run = TrainingRun.builder(names).denoiser("transformer").build();
 * run.train();
 * List<String> made = run.model().generation().count(10).generate();
 * run.save(Path.of("model.safetensors"));
 * }</pre>
 *
 * <p>Parts are found by name through {@link dev.microdiffusion.core.spi.Registry}; what a part implements is in {@link
 * dev.microdiffusion.core.spi}.
 */
package dev.microdiffusion.core;
