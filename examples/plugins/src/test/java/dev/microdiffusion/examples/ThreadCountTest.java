package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.internal.training.Trainer;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.training.TrainingListener;
import dev.microdiffusion.core.training.TrainingResult;
import dev.microdiffusion.tokenizer.CharTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Training on 1, 2 or 3 threads gives bit-identical losses and weights, dropout's draws included (keyed by a row's
 * place in the run, not by its shard).
 */
class ThreadCountTest {

    private static final List<String> NAMES = DefaultCorpus.names().subList(0, 800);

    /** The Transformer with residual dropout. */
    private static final String WITH_DROPOUT = "transformer+dropout";

    private static Denoiser train(String variant, int threads, double[][] losses) {
        String name = variant.equals(WITH_DROPOUT) ? "transformer" : variant;
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, name);
        Tokenizer tokenizer = CharTokenizer.fit(NAMES, provider.defaultMaxLength());
        DenoiserConfig config = provider.defaultConfig(tokenizer.vocabSize());
        if (name.equals("transformer")) {
            config = config.with("d_model", 16).with("layers", 2);
        }
        if (variant.equals(WITH_DROPOUT)) {
            config = config.with("dropout", 0.2);
        }
        Denoiser d = provider.create(config, new RandomStreams(2).stream("init"));
        EncodedCorpus corpus = tokenizer.encodeCorpus(NAMES);
        TrainingResult result = new Trainer(d, new CosineSchedule(), tokenizer.maskId(),
                provider.referenceTraining().withSteps(25), threads).train(corpus, new RandomStreams(2), TrainingListener.NONE);
        losses[0] = result.losses();
        return d;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp-skip", "transformer", WITH_DROPOUT})
    void weightsDoNotDependOnTheThreadCount(String name) {
        double[][] one = new double[1][];
        double[][] two = new double[1][];
        double[][] three = new double[1][];
        Denoiser a = train(name, 1, one);
        Denoiser b = train(name, 2, two);
        Denoiser c = train(name, 3, three);
        assertArrayEquals(one[0], two[0]);
        assertArrayEquals(one[0], three[0]);
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i).values(), b.parameters().get(i).values(), a.parameters().get(i).name());
            assertArrayEquals(a.parameters().get(i).values(), c.parameters().get(i).values(), a.parameters().get(i).name());
        }
    }

    @Test
    void dropoutChangesTrainingAndNotTheWeightsDrawn() {
        double[][] plain = new double[1][];
        double[][] dropped = new double[1][];
        train("transformer", 1, plain);
        train(WITH_DROPOUT, 1, dropped);
        for (int step = 0; step < plain[0].length; step++) {
            assertNotEquals(plain[0][step], dropped[0][step], "step " + step);
        }
        DenoiserProvider provider = Registry.find(DenoiserProvider.class, "transformer");
        DenoiserConfig config = provider.defaultConfig(28);
        Denoiser a = provider.create(config, new RandomStreams(2).stream("init"));
        Denoiser b = provider.create(config.with("dropout", 0.2), new RandomStreams(2).stream("init"));
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i).values(), b.parameters().get(i).values());
        }
    }
}
