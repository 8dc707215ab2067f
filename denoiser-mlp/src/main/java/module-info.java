/** The reference's MLP denoisers: "mlp" (2 layers) and "mlp-skip" (3 layers with a skip connection). */
module dev.microdiffusion.mlp {
    requires dev.microdiffusion.core;
    requires org.apache.commons.rng.sampling;

    provides dev.microdiffusion.core.spi.DenoiserProvider with
            dev.microdiffusion.mlp.MlpDenoiserProvider,
            dev.microdiffusion.mlp.SkipMlpDenoiserProvider;
}
