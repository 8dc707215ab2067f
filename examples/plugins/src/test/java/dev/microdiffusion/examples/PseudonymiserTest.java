package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.Pseudonymiser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Keyed generation: the same value and key give the same pseudonym, whatever the batch; other keys other names. */
class PseudonymiserTest {

    private static final byte[] KEY = "a secret of thirty-two bytes....".getBytes(StandardCharsets.UTF_8);
    private static final List<String> NAMES = TrainedModels.NAMES;
    private static final DiffusionModel model = TrainedModels.mlp();
    private static final DiffusionModel labelled = TrainedModels.labelled();

    @Test
    void theSameValueAndKeyGiveTheSamePseudonymInAnyBatch() {
        List<String> values = new ArrayList<>(NAMES.subList(0, 60));
        List<String> once = model.pseudonymiser(KEY).batchSize(64).threads(1).build().pseudonyms(values);
        Collections.shuffle(values, new Random(3));
        Pseudonymiser other = model.pseudonymiser(KEY).batchSize(5).threads(2).build();
        List<String> shuffled = other.pseudonyms(values);
        for (int k = 0; k < values.size(); k++) {
            assertEquals(once.get(NAMES.indexOf(values.get(k))), shuffled.get(k), values.get(k));
        }
        assertEquals(once.get(0), other.pseudonym(NAMES.get(0)));
        assertEquals(other.pseudonym("eleanor"), other.pseudonym(" Eleanor"), "one value as the tokenizer sees it");
        // pinned: the same input and key give this name on every machine, in every release from this one on
        assertEquals("awrcykc", other.pseudonym("eleanor"));
    }

    @Test
    void anotherKeyGivesAnotherMappingAndNoValueMapsToItself() {
        List<String> values = NAMES.subList(0, 200);
        List<String> mine = model.pseudonymiser(KEY).build().pseudonyms(values);
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        List<String> theirs = model.pseudonymiser(otherKey).build().pseudonyms(values);
        int same = 0;
        for (int k = 0; k < values.size(); k++) {
            assertNotEquals(values.get(k), mine.get(k), "a value never maps to itself");
            same += mine.get(k).equals(theirs.get(k)) ? 1 : 0;
        }
        assertTrue(same < 10, same + " of 200 pseudonyms equal under another key");
    }

    @Test
    void keepingTheLengthAndTheLabel() {
        Pseudonymiser keep = labelled.pseudonymiser(KEY).keepLength(true).build();
        assertTrue(keep.keepsLength());
        List<String> values = List.of("ann", "josephine", "bo", "maximiliano");
        List<String> fakes = keep.pseudonyms(values, List.of("female", "female", "male", "male"));
        for (int k = 0; k < values.size(); k++) {
            assertEquals(values.get(k).length(), fakes.get(k).length(), fakes.get(k));
        }
        assertEquals(fakes.get(0), keep.pseudonym("ann", "female"));
        assertNotEquals(keep.pseudonym("josephine", "female"), keep.pseudonym("josephine", "male"),
                "the label is part of the key");
        String tooLong = "b".repeat(40);
        assertEquals(labelled.tokenizer().maxLength(), keep.pseudonym(tooLong).length(), "capped at the rows");
    }

    @Test
    void nullBlankAndUnknownLabelsHaveTheirOutcomesAndBadSettingsAreRefused() {
        Pseudonymiser p = labelled.pseudonymiser(KEY).build();
        List<String> out = p.pseudonyms(Arrays.asList(null, "  ", "emma", "emma"),
                Arrays.asList("female", "female", "nobody", null));
        assertNull(out.get(0));
        assertEquals("  ", out.get(1));
        assertNull(out.get(2), "a label the model does not have");
        assertEquals(p.pseudonym("emma"), out.get(3));
        assertThrows(IllegalArgumentException.class, () -> model.pseudonymiser(new byte[8]).build());
        assertThrows(NullPointerException.class, () -> model.pseudonymiser(null));
        assertThrows(IllegalArgumentException.class, () -> p.pseudonyms(List.of("a"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> model.pseudonymiser(KEY).sampler("nope").build());
    }
}
