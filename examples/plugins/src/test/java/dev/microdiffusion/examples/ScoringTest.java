package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Scoring;
import dev.microdiffusion.core.TextScore;
import dev.microdiffusion.core.TextScore.Outcome;
import dev.microdiffusion.core.corpus.EncodedCorpus;
import dev.microdiffusion.core.evaluation.Nelbo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-text scores: the corpus figure's draws, a function of the text alone, and an outcome for what cannot be scored. */
class ScoringTest {

    private static final List<String> NAMES = TrainedModels.NAMES;
    private static final DiffusionModel model = TrainedModels.transformer();
    private static final DiffusionModel labelled = TrainedModels.labelled();

    @Test
    void theScoresMeanIsTheCorpusFigure() {
        List<String> texts = NAMES.subList(0, 150);
        EncodedCorpus corpus = model.encode(texts);
        Nelbo nelbo = model.evaluation().seed(4).maskDraws(2).nelbo(corpus);
        List<TextScore> scores = model.scoring().seed(4).maskDraws(2).score(texts);
        double nats = 0;
        double bits = 0;
        for (TextScore s : scores) {
            assertTrue(s.scored() && Double.isFinite(s.natsPerText()) && s.natsPerText() > 0, s.toString());
            assertEquals(s.natsPerText() / ((s.text().length() + 1) * Math.log(2)), s.bitsPerChar(), 1e-12);
            assertNull(s.likeliestLabel(), "an unlabelled model has no labels to choose");
            nats += s.natsPerText();
            bits += s.natsPerText() / Math.log(2);
        }
        assertEquals(nelbo.natsPerText(), nats / texts.size(), 1e-12);
        assertEquals(nelbo.bitsPerChar(), bits / corpus.symbolsWithEnds(), 1e-12);
    }

    @Test
    void aTextsScoreIsTheSameInAnyBatchOrderAndThreadCount() {
        List<String> texts = new ArrayList<>(NAMES.subList(200, 290));
        List<TextScore> first = model.scoring().threads(1).score(texts);
        Collections.reverse(texts);
        List<String> reversed = new ArrayList<>(texts.subList(0, 30));
        reversed.add(texts.get(0));
        List<TextScore> second = model.scoring().threads(2).score(reversed);
        for (int k = 0; k < 30; k++) {
            assertEquals(first.get(89 - k), second.get(k), reversed.get(k));
        }
        assertEquals(second.get(0), second.get(30), "the same text twice, the same score");
        assertEquals(first.get(89), model.scoring().build().score(texts.get(0)));
        assertNotEquals(first.get(0).natsPerText(), model.scoring().seed(2).build().score(NAMES.get(200))
                .natsPerText(), "another seed draws other masks");
    }

    @Test
    void whatCannotBeScoredGetsItsOutcomeAndTheBatchGoesOn() {
        String tooLong = "a".repeat(model.tokenizer().maxLength() + 1);
        List<TextScore> scores = model.scoring().score(Arrays.asList("emma", null, "   ", tooLong, "zo☃", "Olivia "));
        assertEquals(List.of(Outcome.SCORED, Outcome.MISSING, Outcome.EMPTY, Outcome.TOO_LONG, Outcome.UNENCODABLE,
                Outcome.SCORED), scores.stream().map(TextScore::outcome).toList());
        assertTrue(scores.get(4).problem().contains("☃"), scores.get(4).problem());
        assertTrue(scores.get(3).problem().contains("characters"), scores.get(3).problem());
        assertTrue(Double.isNaN(scores.get(1).natsPerText()) && Double.isNaN(scores.get(4).bitsPerChar()));
        assertEquals("Olivia ", scores.get(5).text(), "the text as given");
        assertEquals(model.scoring().build().score("olivia").natsPerText(), scores.get(5).natsPerText(), 0.0,
                "scored as the tokenizer normalises it");
        assertThrows(NullPointerException.class, () -> model.scoring().build().score((List<String>) null));
    }

    @Test
    void aLabelledModelScoresUnderALabelAndNamesTheLikeliest() {
        List<String> texts = NAMES.subList(300, 340);
        Scoring both = labelled.scoring().seed(3).build();
        assertTrue(both.classifies(), "classification is on for a labelled model");
        List<TextScore> scores = both.score(texts);
        List<TextScore> female = labelled.scoring().seed(3).label("female").score(texts);
        List<TextScore> male = labelled.scoring().seed(3).label("male").classify(false).score(texts);
        EncodedCorpus asFemale = new EncodedCorpus(labelled.encode(texts).texts(), labelled.encode(texts).ids(),
                labelled.tokenizer().maxLength(), 0, new int[texts.size()]);
        assertEquals(labelled.evaluation().seed(3).nelbo(asFemale).natsPerText(),
                female.stream().mapToDouble(TextScore::natsPerText).average().orElseThrow(), 1e-12,
                "under a label: the conditional corpus figure's mean");
        for (int k = 0; k < texts.size(); k++) {
            TextScore s = scores.get(k);
            assertNull(s.label(), "unconditional unless a label is given");
            assertEquals("female", female.get(k).label());
            String expected = female.get(k).natsPerText() <= male.get(k).natsPerText() ? "female" : "male";
            assertEquals(expected, s.likeliestLabel(), texts.get(k));
            double gap = Math.abs(female.get(k).natsPerText() - male.get(k).natsPerText());
            assertEquals(1 / (1 + Math.exp(-gap)), s.likeliestLabelShare(), 1e-12, "Bayes with equal priors");
            assertEquals(s.likeliestLabel(), female.get(k).likeliestLabel());
            assertNull(male.get(k).likeliestLabel(), "classification off");
        }
        assertThrows(IllegalArgumentException.class, () -> labelled.scoring().label("other").build());
        assertThrows(IllegalArgumentException.class, () -> model.scoring().classify(true).build());
    }
}
