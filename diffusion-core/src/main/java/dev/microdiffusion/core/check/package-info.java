/**
 * Checks for authors of denoisers: {@link dev.microdiffusion.core.check.GradientCheck} holds a backward pass to
 * finite differences, the way the built-in denoisers are tested.
 */
package dev.microdiffusion.core.check;
