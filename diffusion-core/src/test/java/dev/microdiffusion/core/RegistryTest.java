package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.internal.sampling.ConfidenceSampler;
import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.spi.NoiseScheduleProvider;
import dev.microdiffusion.core.spi.Registry;
import dev.microdiffusion.core.spi.SamplerProvider;
import dev.microdiffusion.core.spi.TokenizerProvider;
import org.junit.jupiter.api.Test;

class RegistryTest {

    @Test
    void findsTheBuiltInProvidersByName() {
        assertTrue(Registry.find(NoiseScheduleProvider.class, "cosine").create() instanceof CosineSchedule);
        assertTrue(Registry.find(SamplerProvider.class, "confidence").create() instanceof ConfidenceSampler);
        assertTrue(Registry.names(NoiseScheduleProvider.class).contains("cosine"));
    }

    @Test
    void anUnknownNameListsTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Registry.find(SamplerProvider.class, "nope"));
        assertEquals("no SamplerProvider named 'nope'; available: ancestral, blocks, confidence, first-hitting, remask-lowconf, remask-random, remdm, threshold", e.getMessage());
    }

    @Test
    void aTypeWithNoProviderSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Registry.find(TokenizerProvider.class, "char"));
        assertTrue(e.getMessage().contains("none is registered"), e.getMessage());
    }
}
