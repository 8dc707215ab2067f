package dev.microdiffusion.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microdiffusion.core.DiffusionModel;
import dev.microdiffusion.core.ModelHandle;
import dev.microdiffusion.core.SharedModels;
import dev.microdiffusion.core.TrainingRun;
import dev.microdiffusion.core.io.CheckpointException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One loaded model per file and JVM, never stale; a handle that travels and checks what it names. */
class SharedModelsTest {

    private static DiffusionModel first;
    private static DiffusionModel second;

    @BeforeAll
    static void train() throws IOException {
        List<String> names = DefaultCorpus.names().subList(0, 300);
        first = TrainedModels.trained(TrainingRun.builder(names).denoiser("mlp").steps(5));
        second = TrainedModels.trained(TrainingRun.builder(names).denoiser("mlp").steps(6));
    }

    @Test
    void manyThreadsAskingLoadTheFileOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.safetensors");
        first.save(file);
        try (SharedModels cache = new SharedModels()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Callable<DiffusionModel>> asks = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                asks.add(() -> cache.get(file));
            }
            List<DiffusionModel> got = new ArrayList<>();
            for (Future<DiffusionModel> f : pool.invokeAll(asks)) {
                got.add(f.get());
            }
            pool.shutdown();
            assertEquals(1, cache.loads());
            for (DiffusionModel m : got) {
                assertSame(got.get(0), m);
            }
            assertEquals(first.generate(5), got.get(0).generate(5));
        }
    }

    @Test
    void aChangedFileIsLoadedAgainAndATouchedOneIsNot(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.safetensors");
        first.save(file);
        SharedModels cache = new SharedModels();
        DiffusionModel one = cache.get(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        assertSame(one, cache.get(file), "same bytes, same model");
        second.save(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10000));
        DiffusionModel two = cache.get(file);
        assertNotSame(one, two);
        assertEquals(second.generate(5), two.generate(5));
        assertEquals(2, cache.loads());
        cache.close();
        assertNotSame(two, cache.get(file), "closing forgets");
    }

    @Test
    void missingFilesAndDirectoriesAreNamed(@TempDir Path dir) {
        SharedModels cache = new SharedModels();
        CheckpointException missing = assertThrows(CheckpointException.class, () -> cache.get(dir.resolve("no")));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        CheckpointException directory = assertThrows(CheckpointException.class, () -> cache.get(dir));
        assertTrue(directory.getMessage().contains(dir.toString()), directory.getMessage());
        assertThrows(CheckpointException.class, () -> ModelHandle.of(dir.resolve("no")));
    }

    @Test
    void aHandleTravelsAndRefusesAFileThatChanged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.safetensors");
        first.save(file);
        ModelHandle handle = roundTrip(ModelHandle.of(file));
        assertEquals(first.generate(4), handle.model().generate(4));
        assertSame(handle.model(), SharedModels.jvm().get(file));
        ModelHandle carried = roundTrip(ModelHandle.embedding(file));
        second.save(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        CheckpointException changed = assertThrows(CheckpointException.class, handle::model);
        assertTrue(changed.getMessage().contains("changed"), changed.getMessage());
        Files.delete(file);
        assertEquals(first.generate(4), carried.model().generate(4), "the bytes travel with the handle");
    }

    private static ModelHandle roundTrip(ModelHandle handle) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(handle);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ModelHandle) in.readObject();
        }
    }
}
