/**
 * Layers for denoiser authors, the built-in denoisers' own: {@link dev.microdiffusion.core.nn.Linear}, {@link
 * dev.microdiffusion.core.nn.Embedding}, {@link dev.microdiffusion.core.nn.OneHotLinear}, {@link
 * dev.microdiffusion.core.nn.RmsNorm}, {@link dev.microdiffusion.core.nn.SelfAttention} (bidirectional), {@link
 * dev.microdiffusion.core.nn.FeedForward} (GELU), {@link dev.microdiffusion.core.nn.TimeEmbedding}, the
 * Transformer's {@link dev.microdiffusion.core.nn.TransformerBlock} and {@link
 * dev.microdiffusion.core.nn.TransformerStack}, {@link dev.microdiffusion.core.nn.Conv1d}, {@link
 * dev.microdiffusion.core.nn.Dropout} and {@link dev.microdiffusion.core.nn.CrossEntropy}; {@link dev.microdiffusion.core.nn.Init} for initial weights, {@link
 * dev.microdiffusion.core.nn.ParameterList} for PyTorch-style names, {@link dev.microdiffusion.core.nn.Rows} for
 * biases and residuals, and shape-checked views ({@link dev.microdiffusion.core.nn.Tensor3}, {@link
 * dev.microdiffusion.core.nn.Tensor2}, {@link
 * dev.microdiffusion.core.nn.IntTensor2}) over flat buffers.
 *
 * <p>A layer holds its parameters and no activations: one layer serves every pass of a model. A composite layer makes
 * the buffers one batch needs ({@code newActivations(maxBatch)}) once per pass, and forward and backward reuse them
 * every call: nothing is allocated per step. Products, norms, GELU and attention run on the {@link
 * dev.microdiffusion.core.math.MatrixKernel} a layer is given, so the Vector API kernel serves plug-ins as it serves
 * the built-ins. Each layer's backward is held to finite differences by its tests. Training-only randomness
 * (dropout) draws from the row streams a pass is given by {@link
 * dev.microdiffusion.core.spi.Denoiser.Pass#training}; without them a layer computes its inference form.
 */
package dev.microdiffusion.core.nn;
