package dev.microdiffusion.core.sampling;

import dev.microdiffusion.core.Sampler;
import dev.microdiffusion.core.SamplerProvider;

public final class ConfidenceSamplerProvider implements SamplerProvider {

    @Override
    public String name() {
        return ConfidenceSampler.NAME;
    }

    @Override
    public String description() {
        return "the reference's sampler: reveal the most confident masked positions, as many as the schedule allows";
    }

    @Override
    public Sampler create() {
        return new ConfidenceSampler();
    }
}
