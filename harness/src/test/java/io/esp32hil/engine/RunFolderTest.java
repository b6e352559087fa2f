package io.esp32hil.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
    @TempDir
    Path tmp;

    @Test
    void runsStartedInTheSameSecondGetFoldersOfTheirOwn() {
        LocalDateTime now = LocalDateTime.of(2026, 12, 1, 13, 44, 23);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 8).parallel().forEach(i -> ids.add(RunFolder.create(tmp, now)));
        assertThat(ids).hasSize(8).contains("20261201-134423", "20261201-134423-2", "20261201-134423-8");
        ids.forEach(id -> assertThat(tmp.resolve(id)).isEmptyDirectory());
    }

    @Test
    void aReportsRootThatCannotBeWrittenIsSaidInPlainWords() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThatThrownBy(() -> RunFolder.create(file.resolve("reports"), LocalDateTime.now()))
                .isInstanceOf(RunFolder.Unwritable.class)
                .hasMessageContaining("cannot create a report folder in " + file.resolve("reports"))
                .hasMessageContaining("is not a folder")
                .hasMessageNotContaining("Exception");
    }

    @Test
    void onlyFoldersStrictlyInsideTheRunFolderAreEverDeleted() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("reports/run"));
        Files.writeString(tmp.resolve("reports/README.md"), "keep");
        for (String bad : new String[] {"..", ".", "", "../run", "sub/../..", "x/y", ".hidden"}) {
            assertThatThrownBy(() -> RunFolder.clearChild(run, run.resolve(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> RunFolder.clearChild(run, tmp.resolve("elsewhere"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(tmp.resolve("reports/README.md")).exists();
        Path child = Files.createDirectories(run.resolve("scenario/flash"));
        Files.writeString(child.resolve("main.py"), "x");
        RunFolder.clearChild(run, run.resolve("scenario"));
        assertThat(run.resolve("scenario")).doesNotExist();
        assertThat(run).exists();
    }
}
