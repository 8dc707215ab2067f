/**
 * Masked (absorbing-state) text diffusion: the SPIs a denoiser, noise schedule, sampler or tokenizer implements, and
 * the façade a user starts from ({@link dev.microdiffusion.core.TrainingRun}, {@link
 * dev.microdiffusion.core.DiffusionModel}). Providers are found with {@link java.util.ServiceLoader} by name through
 * {@link dev.microdiffusion.core.spi.Registry}. The Panama Vector API kernel is used when {@code jdk.incubator.vector}
 * is in the boot layer ({@code --add-modules jdk.incubator.vector}); without it the portable ojAlgo kernel runs.
 */
module dev.microdiffusion.core {
    requires transitive org.apache.commons.rng.api;
    requires org.apache.commons.rng.core;
    requires org.apache.commons.rng.simple;
    requires org.apache.commons.rng.sampling;
    requires com.fasterxml.jackson.databind;
    requires ojalgo;
    requires static jdk.incubator.vector;

    exports dev.microdiffusion.core;
    exports dev.microdiffusion.core.spi;
    exports dev.microdiffusion.core.sampling;
    exports dev.microdiffusion.core.corpus;
    exports dev.microdiffusion.core.check;
    exports dev.microdiffusion.core.evaluation;
    exports dev.microdiffusion.core.io;
    exports dev.microdiffusion.core.math;
    exports dev.microdiffusion.core.nn;
    exports dev.microdiffusion.core.training;

    // training recipes are saved in checkpoints as JSON
    opens dev.microdiffusion.core.training to com.fasterxml.jackson.databind;

    uses dev.microdiffusion.core.spi.DenoiserProvider;
    uses dev.microdiffusion.core.spi.NoiseScheduleProvider;
    uses dev.microdiffusion.core.spi.SamplerProvider;
    uses dev.microdiffusion.core.spi.TokenizerProvider;

    provides dev.microdiffusion.core.spi.NoiseScheduleProvider with
            dev.microdiffusion.core.internal.schedule.CosineScheduleProvider,
            dev.microdiffusion.core.internal.schedule.ScheduleProviders.Linear,
            dev.microdiffusion.core.internal.schedule.ScheduleProviders.LogLinear,
            dev.microdiffusion.core.internal.schedule.ScheduleProviders.Polynomial;
    provides dev.microdiffusion.core.spi.SamplerProvider with
            dev.microdiffusion.core.internal.sampling.SamplerProviders.Confidence,
            dev.microdiffusion.core.internal.sampling.SamplerProviders.Ancestral,
            dev.microdiffusion.core.internal.sampling.SamplerProviders.RemaskLowConfidence,
            dev.microdiffusion.core.internal.sampling.SamplerProviders.RemaskRandom,
            dev.microdiffusion.core.internal.sampling.SamplerProviders.Threshold,
            dev.microdiffusion.core.internal.sampling.SamplerProviders.Blocks,
            dev.microdiffusion.core.internal.sampling.SamplerProviders.FirstHitting,
            dev.microdiffusion.core.internal.sampling.SamplerProviders.Remdm;
}
