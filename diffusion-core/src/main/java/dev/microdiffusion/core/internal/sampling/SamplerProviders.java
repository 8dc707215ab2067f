package dev.microdiffusion.core.internal.sampling;

import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Sampler;
import dev.microdiffusion.core.spi.SamplerProvider;
import dev.microdiffusion.core.spi.Setting;
import dev.microdiffusion.core.spi.Settings;
import java.util.Map;
import java.util.TreeMap;

/** The providers of the built-in samplers (one small class each, as ServiceLoader needs); each name is stated here. */
public final class SamplerProviders {

    private SamplerProviders() {
    }

    public static final class Confidence implements SamplerProvider {
        @Override
        public String name() {
            return "confidence";
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

    public static final class Ancestral implements SamplerProvider {
        @Override
        public String name() {
            return "ancestral";
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
            return "remask-lowconf";
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
            return "remask-random";
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
        private static final Setting.Number THRESHOLD = Setting.number("threshold", ThresholdSampler.DEFAULT_THRESHOLD,
                -1e9, 1);
        @Override
        public String name() {
            return "threshold";
        }

        @Override
        public String description() {
            return "Fast-dLLM: reveal every position whose confidence exceeds a threshold, at least one per step "
                    + "(setting: threshold, " + ThresholdSampler.DEFAULT_THRESHOLD + ")";
        }

        @Override
        public Sampler create() {
            return new ThresholdSampler(ThresholdSampler.DEFAULT_THRESHOLD);
        }

        @Override
        public Sampler create(Map<String, String> settings) {
            return new ThresholdSampler(Settings.of("sampler " + name(), settings).requireOnly(THRESHOLD)
                    .get(THRESHOLD));
        }
    }

    public static final class Blocks implements SamplerProvider {

        /** The sampler inside the blocks when none is set. */
        static final String DEFAULT_INNER = "confidence";
        private static final Setting.Whole LENGTH = Setting.whole("length", BlockSampler.DEFAULT_BLOCK_LENGTH, 1,
                Integer.MAX_VALUE);
        private static final Setting.Text INNER = Setting.text("inner", DEFAULT_INNER);

        @Override
        public String name() {
            return "blocks";
        }

        @Override
        public String description() {
            return "semi-autoregressive: left to right in blocks, another sampler inside each (settings: length, "
                    + BlockSampler.DEFAULT_BLOCK_LENGTH + "; inner, " + DEFAULT_INNER + "; inner.KEY, the inner's)";
        }

        @Override
        public Sampler create() {
            return create(Map.of());
        }

        /** Settings: {@code length}, {@code inner} (a sampler name) and {@code inner.KEY} for the inner's settings. */
        @Override
        public Sampler create(Map<String, String> settings) {
            Settings s = Settings.of("sampler " + name(), settings);
            Map<String, String> innerSettings = s.under("inner.");
            Map<String, String> own = new TreeMap<>(settings);
            own.keySet().removeIf(k -> k.startsWith("inner."));
            Settings mine = Settings.of("sampler " + name(), own).requireOnly(LENGTH, INNER);
            String inner = mine.get(INNER);
            if (inner.equals(name())) {
                throw new IllegalArgumentException("sampler blocks: the sampler inside the blocks must be another one");
            }
            int length = mine.get(LENGTH);
            return new BlockSampler(length, Registry.find(SamplerProvider.class, inner).create(innerSettings));
        }
    }

    public static final class FirstHitting implements SamplerProvider {
        @Override
        public String name() {
            return "first-hitting";
        }

        @Override
        public String description() {
            return "exact: one position per model call at its first-hitting time (as many calls as masked positions)";
        }

        @Override
        public Sampler create() {
            return new FirstHittingSampler();
        }
    }

    public static final class Remdm implements SamplerProvider {
        private static final Setting.Number ETA = Setting.number("eta", RemdmSampler.DEFAULT_ETA, 0, 1);
        private static final Setting.Number FROM = Setting.number("from", RemdmSampler.DEFAULT_FROM, 0, 1);
        private static final Setting.Number TO = Setting.number("to", RemdmSampler.DEFAULT_TO, 0, 1);
        @Override
        public String name() {
            return "remdm";
        }

        @Override
        public String description() {
            return "ReMDM: ancestral steps that may re-mask revealed tokens with probability up to eta inside a time "
                    + "window (settings: eta, " + RemdmSampler.DEFAULT_ETA + "; from, " + RemdmSampler.DEFAULT_FROM
                    + "; to, " + RemdmSampler.DEFAULT_TO + ")";
        }

        @Override
        public Sampler create() {
            return new RemdmSampler(RemdmSampler.DEFAULT_ETA, RemdmSampler.DEFAULT_FROM, RemdmSampler.DEFAULT_TO);
        }

        @Override
        public Sampler create(Map<String, String> settings) {
            Settings s = Settings.of("sampler " + name(), settings).requireOnly(ETA, FROM, TO);
            return new RemdmSampler(s.get(ETA), s.get(FROM), s.get(TO));
        }
    }
}
