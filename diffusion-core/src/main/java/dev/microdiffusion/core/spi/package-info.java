/**
 * What a provider implements: a denoiser ({@link dev.microdiffusion.core.spi.Denoiser}, made by a {@link
 * dev.microdiffusion.core.spi.DenoiserProvider}), a noise schedule, a sampler and a tokenizer, each found by name
 * with {@link java.util.ServiceLoader} through {@link dev.microdiffusion.core.spi.Registry}. A provider declares its
 * settings once ({@link dev.microdiffusion.core.spi.Setting}) and reads them with {@link
 * dev.microdiffusion.core.spi.Settings}. Nothing here depends on the façade in {@link dev.microdiffusion.core}.
 */
package dev.microdiffusion.core.spi;
