/**
 * Texts as a model sees them: a corpus encoded as rows of token ids ({@link
 * dev.microdiffusion.core.corpus.EncodedCorpus}), texts with labels ({@link
 * dev.microdiffusion.core.corpus.LabelledCorpus}) and how a run split its corpus into training and held-out texts
 * ({@link dev.microdiffusion.core.corpus.DataSplit}).
 */
package dev.microdiffusion.core.corpus;
