package dev.microdiffusion.core.sampling;

import dev.microdiffusion.core.Sampler;
import dev.microdiffusion.core.SamplerProvider;

/** The providers of this package's samplers beside the reference's (one small class each, as ServiceLoader needs). */
public final class SamplerProviders {

    private SamplerProviders() {
    }

    public static final class Ancestral implements SamplerProvider {
        @Override
        public String name() {
            return AncestralSampler.NAME;
        }

        @Override
        public String description() {
            return "MDLM: reveal each masked position with probability (rate(t) - rate(s))/rate(t)";
        }

        @Override
        public Sampler create() {
            return new AncestralSampler();
        }
    }

    public static final class RemaskLowConfidence implements SamplerProvider {
        @Override
        public String name() {
            return RemaskingSampler.LOW_CONFIDENCE;
        }

        @Override
        public String description() {
            return "LLaDA: predict all, re-mask the least confident down to the schedule's count";
        }

        @Override
        public Sampler create() {
            return new RemaskingSampler(true);
        }
    }

    public static final class RemaskRandom implements SamplerProvider {
        @Override
        public String name() {
            return RemaskingSampler.RANDOM;
        }

        @Override
        public String description() {
            return "LLaDA: predict all, re-mask random positions down to the schedule's count";
        }

        @Override
        public Sampler create() {
            return new RemaskingSampler(false);
        }
    }

    public static final class Threshold implements SamplerProvider {
        @Override
        public String name() {
            return ThresholdSampler.NAME;
        }

        @Override
        public String description() {
            return "Fast-dLLM: reveal every position whose confidence exceeds --threshold (at least one per step)";
        }

        @Override
        public Sampler create() {
            return new ThresholdSampler();
        }
    }

    public static final class Blocks implements SamplerProvider {
        @Override
        public String name() {
            return BlockSampler.NAME;
        }

        @Override
        public String description() {
            return "semi-autoregressive: left to right in blocks of --block-length, --inner-sampler inside each";
        }

        @Override
        public Sampler create() {
            return new BlockSampler();
        }
    }
}
