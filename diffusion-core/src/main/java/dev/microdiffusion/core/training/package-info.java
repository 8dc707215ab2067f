/**
 * Training recipes ({@link dev.microdiffusion.core.training.TrainingConfig}: optimiser, learning-rate policy,
 * clipping, objective, weight averaging), and what a run reports ({@link
 * dev.microdiffusion.core.training.TrainingListener}, {@link dev.microdiffusion.core.training.TrainingResult}).
 */
package dev.microdiffusion.core.training;
