/**
 * What generation works with: the rows being denoised ({@link dev.microdiffusion.core.sampling.Canvas}) and their
 * random streams ({@link dev.microdiffusion.core.sampling.RowRandom}), what the rows must look like ({@link
 * dev.microdiffusion.core.sampling.Template}), how to sample whatever the sampler ({@link
 * dev.microdiffusion.core.sampling.SamplingOptions}, {@link dev.microdiffusion.core.sampling.ConfidenceMeasure}) and
 * who watches each step ({@link dev.microdiffusion.core.sampling.StepObserver}). A caller sets them through {@link
 * dev.microdiffusion.core.Generation}; a {@link dev.microdiffusion.core.spi.Sampler} reads them.
 */
package dev.microdiffusion.core.sampling;
