package dev.microdiffusion.core;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Settings given to a resumed run ({@link TrainingRun.Builder#resumeFrom}) that differ from the saved run's, carried
 * as data.
 */
public final class ResumeConflictException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * One refused setting.
     *
     * @param setting the setting
     * @param given   the value given to the resumed run (a named recipe as the recipe it names)
     * @param saved   the value the saved run holds
     */
    public record Conflict(TrainingSetting setting, Object given, Object saved) {
    }

    private final transient List<Conflict> conflicts;
    private final transient Path file;

    ResumeConflictException(List<Conflict> conflicts, Path file) {
        super(conflicts.stream().map(c -> c.setting().method()).collect(Collectors.joining(", "))
                + " differ from the run saved in " + file + "; a resumed run keeps its recipe");
        this.conflicts = List.copyOf(conflicts);
        this.file = file;
    }

    /**
     * The refused settings, in the order they were set.
     *
     * @return each setting with the value given and the value saved
     */
    public List<Conflict> conflicts() {
        return conflicts;
    }

    /**
     * The refused settings alone.
     *
     * @return the settings of {@link #conflicts()}
     */
    public List<TrainingSetting> settings() {
        return conflicts.stream().map(Conflict::setting).toList();
    }

    /**
     * The file the saved run was resumed from.
     *
     * @return the checkpoint's path
     */
    public Path file() {
        return file;
    }
}
