/**
 * The Transformer denoisers, with hand-written backpropagation: the reference's ("transformer") and one made for
 * running text ("text-transformer").
 */
module dev.microdiffusion.transformer {
    requires dev.microdiffusion.core;
    requires org.apache.commons.rng.sampling;

    provides dev.microdiffusion.core.spi.DenoiserProvider with dev.microdiffusion.transformer.TransformerDenoiserProvider,
            dev.microdiffusion.transformer.TextTransformerProvider;
}
