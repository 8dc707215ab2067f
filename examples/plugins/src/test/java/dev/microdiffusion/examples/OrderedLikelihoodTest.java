package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.evaluation.DecodingOrder;
import dev.microdiffusion.core.evaluation.OrderedLikelihood;
import dev.microdiffusion.core.internal.evaluation.OrderedLikelihoodEvaluator;
import dev.microdiffusion.core.spi.Denoiser;
import dev.microdiffusion.core.spi.DenoiserConfig;
import dev.microdiffusion.core.spi.DenoiserProvider;
import dev.microdiffusion.core.spi.NoiseSchedule;
import dev.microdiffusion.core.spi.NoiseScheduleProvider;
import dev.microdiffusion.core.spi.RandomStreams;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.Tokenizer;
import dev.microdiffusion.core.spi.TokenizerProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact likelihood of a fixed decoding order: a normalised distribution over every row (the probabilities of all
 * rows sum to 1 for any order and any denoiser, input-dependent ones too), deterministic and thread-independent.
 */
class OrderedLikelihoodTest {

    private static final int LENGTH = 3;

    /** Every row of length 3 over "a", "b" and PAD: 27 rows, the whole space the ordered model covers. */
    private static EncodedCorpus everyRow(Tokenizer tokenizer) {
        int[] symbols = {tokenizer.encode("a")[0], tokenizer.encode("b")[0], tokenizer.padId()};
        int rows = 27;
        int[] ids = new int[rows * LENGTH];
        for (int r = 0; r < rows; r++) {
            ids[r * LENGTH] = symbols[r / 9];
            ids[r * LENGTH + 1] = symbols[(r / 3) % 3];
            ids[r * LENGTH + 2] = symbols[r % 3];
        }
        return new EncodedCorpus(new ArrayList<>(Collections.nCopies(rows, "x")), ids, LENGTH, 0);
    }

    private static Denoiser small(String name, Tokenizer tokenizer) {
        DenoiserConfig config = new DenoiserConfig(tokenizer.vocabSize(), LENGTH);
        config = switch (name) {
            case "transformer" -> config.with("d_model", 8).with("heads", 2).with("layers", 1);
            case "convolution" -> config.with("width", 6).with("blocks", 2);
            default -> config.with("hidden", 8);
        };
        return Registry.find(DenoiserProvider.class, name).create(config.named(name), new RandomStreams(7).stream("init"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"transformer", "mlp", "convolution"})
    void everyOrderIsANormalisedDistributionOverRows(String name) {
        Tokenizer tokenizer = Registry.find(TokenizerProvider.class, "char").fromVocabulary("ab", LENGTH);
        Denoiser denoiser = small(name, tokenizer);
        NoiseSchedule schedule = Registry.find(NoiseScheduleProvider.class, "cosine").create();
        EncodedCorpus rows = everyRow(tokenizer);
        double[][] byOrder = new double[DecodingOrder.values().length][];
        for (DecodingOrder order : DecodingOrder.values()) {
            double[] nats = new OrderedLikelihoodEvaluator(2, true).natsPerText(tokenizer, denoiser, schedule, rows,
                    order);
            double total = 0;
            for (double n : nats) {
                total += Math.exp(-n);
            }
            assertEquals(1.0, total, 1e-4, name + " " + order + ": the rows' probabilities sum to 1");
            byOrder[order.ordinal()] = nats;
        }
        assertNotEquals(byOrder[0][5], byOrder[1][5], "an input-dependent model gives orders different likelihoods");
    }

    @Test
    void theFiguresAreDeterministicAndDoNotDependOnTheThreadCount() {
        DiffusionModel model = TrainedModels.transformer();
        EncodedCorpus texts = model.encode(TrainedModels.NAMES.subList(0, 150));
        OrderedLikelihood one = model.evaluation().threads(1).ordered(texts, DecodingOrder.LEFT_TO_RIGHT);
        OrderedLikelihood two = model.evaluation().threads(2).ordered(texts, DecodingOrder.LEFT_TO_RIGHT);
        assertEquals(one, two);
        assertEquals(150, one.texts());
        double uniform = model.tokenizer().maxLength() * Math.log(model.tokenizer().vocabSize() - 1);
        assertTrue(one.natsPerText() > 0 && one.natsPerText() < uniform, "30 steps beat the uniform rows: " + one);
        double[] perText = new OrderedLikelihoodEvaluator(1, true).natsPerText(model.tokenizer(), model.denoiser(),
                model.schedule(), texts, DecodingOrder.LEFT_TO_RIGHT);
        assertEquals(one.natsPerText(), Arrays.stream(perText).average().orElseThrow(), 1e-12);
        assertArrayEquals(DecodingOrder.OUTSIDE_IN.positions(5), new int[] {0, 4, 1, 3, 2});
    }
}
