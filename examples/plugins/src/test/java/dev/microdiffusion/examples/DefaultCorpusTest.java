package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultCorpusTest {

    @Test
    void isAFewThousandRealLowerCaseFirstNames() {
        List<String> names = DefaultCorpus.names();
        assertTrue(names.size() > 4000, "names: " + names.size());
        assertEquals(names.size(), new HashSet<>(names).size(), "no duplicates");
        assertTrue(names.stream().allMatch(n -> n.matches("[a-z]+")), "lower-case letters only");
        assertTrue(names.containsAll(List.of("emma", "olivia", "james", "william")));
    }
}
