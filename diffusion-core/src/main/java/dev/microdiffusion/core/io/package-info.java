/**
 * Files: written whole or not at all, with output targets checked before long work starts ({@link
 * dev.microdiffusion.core.io.AtomicFiles}); what a model file that cannot be read says ({@link
 * dev.microdiffusion.core.io.CheckpointException}) and what a file from elsewhere may leave out ({@link
 * dev.microdiffusion.core.io.LoadOptions}).
 */
package dev.microdiffusion.core.io;
