/** The reference's bidirectional Transformer denoiser ("transformer"), with hand-written backpropagation. */
module dev.microdiffusion.transformer {
    requires dev.microdiffusion.core;
    requires org.apache.commons.rng.sampling;

    provides dev.microdiffusion.core.spi.DenoiserProvider with dev.microdiffusion.transformer.TransformerDenoiserProvider;
}
