package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.evaluation.KneserNeyModel;
import dev.microdiffusion.core.evaluation.LabelClassifier;
import dev.microdiffusion.core.spi.Tokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelClassifierTest {

    private final Tokenizer tokenizer = new TinyTokenizer("abyz", 4);

    private EncodedCorpus corpus(List<String> texts, int... labels) {
        return tokenizer.encodeCorpus(texts).labelled(texts, labels, tokenizer::normalize);
    }

    @Test
    void aTextGoesToTheLabelWhoseNamesItIsLike() {
        EncodedCorpus train = corpus(List.of("aab", "aba", "zzy", "yzz", "abab"), 0, 0, 1, 1, 0);
        LabelClassifier classifier = LabelClassifier.fit(train, List.of("ab", "yz"), 3);
        assertEquals(0, classifier.classify("aab"));
        assertEquals(1, classifier.classify("zyz"));
        assertEquals(0.5, classifier.fractionWithLabel(List.of("abba", "zzzy"), 1));
        assertArrayEquals(new double[] {1.0, 1.0}, classifier.recall(corpus(List.of("ba", "zy", "yy"), 0, 1, 1)));
        // the per-label score is that label's own model's
        assertEquals(new KneserNeyModel(List.of("zzy", "yzz"), 3, KneserNeyModel.DEFAULT_DISCOUNT)
                .natsPerCharacter(List.of("zy")), classifier.natsPerCharacter(List.of("zy"), 1), 1e-12);
    }

    @Test
    void aLabelWithNoTextOrAnUnlabelledCorpusIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> LabelClassifier.fit(corpus(List.of("ab", "ba"), 0, 0), List.of("ab", "yz"), 3));
        assertThrows(IllegalArgumentException.class,
                () -> LabelClassifier.fit(tokenizer.encodeCorpus(List.of("ab")), List.of("ab"), 3));
    }
}
