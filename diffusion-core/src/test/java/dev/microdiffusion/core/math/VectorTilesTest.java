package dev.microdiffusion.core.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class VectorTilesTest {

    @Test
    void theCommittedTilesAreWhatTheGeneratorWrites() throws IOException {
        assertEquals(GenerateVectorTiles.source(), Files.readString(GenerateVectorTiles.TARGET),
                "VectorTiles.java was edited by hand or the generator changed: run GenerateVectorTiles");
    }
}
