package dev.microdiffusion.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.microdiffusion.core.internal.schedule.CosineSchedule;
import dev.microdiffusion.core.spi.ForwardProcess;
import dev.microdiffusion.core.spi.RandomStreams;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

class ForwardProcessTest {

    @Test
    void masksEachTokenIndependentlyAtTheScheduleRate() {
        ForwardProcess forward = new ForwardProcess(new CosineSchedule(), 9);
        int n = 200_000;
        int[] clean = new int[n];
        Arrays.fill(clean, 3);
        int[] noisy = new int[n];
        UniformRandomProvider random = new RandomStreams(1).stream("mask");
        int masked = forward.mask(clean, noisy, 0, n, 0.5, random);
        double rate = new CosineSchedule().rate(0.5);
        // binomial: 5 standard deviations
        assertEquals(rate * n, masked, 5 * Math.sqrt(n * rate * (1 - rate)));
        assertEquals(masked, Arrays.stream(noisy).filter(id -> id == 9).count());
        assertEquals(n - masked, Arrays.stream(noisy).filter(id -> id == 3).count());
    }

    @Test
    void timeOneMasksEverythingAndRateZeroNothing() {
        ForwardProcess forward = new ForwardProcess(new CosineSchedule(), 9);
        int[] clean = {0, 1, 2, 8, 8};
        int[] noisy = new int[5];
        assertEquals(5, forward.mask(clean, noisy, 0, 5, 1.0, new RandomStreams(1).stream("m")));
        assertArrayEquals(new int[] {9, 9, 9, 9, 9}, noisy);
        assertEquals(0, forward.maskWithRate(clean, noisy, 0, 5, 0.0, new RandomStreams(1).stream("m")));
        assertArrayEquals(clean, noisy);
    }
}
