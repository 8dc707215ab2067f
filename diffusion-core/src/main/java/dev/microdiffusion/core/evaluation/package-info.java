/**
 * Figures of a model: the negative ELBO of held-out texts ({@link dev.microdiffusion.core.evaluation.Nelbo}, per label
 * {@link dev.microdiffusion.core.evaluation.LabelNelbo}) and the quality of generated texts under an independent
 * character n-gram model ({@link dev.microdiffusion.core.evaluation.SampleQuality}, {@link
 * dev.microdiffusion.core.evaluation.KneserNeyModel}, {@link dev.microdiffusion.core.evaluation.LabelClassifier}).
 */
package dev.microdiffusion.core.evaluation;
