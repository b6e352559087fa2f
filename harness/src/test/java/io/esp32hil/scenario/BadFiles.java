package io.esp32hil.scenario;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The loaders' tests write a file and expect it refused with its place and the words that say why. */
final class BadFiles {
    private BadFiles() {}

    static Path write(Path file, String yaml) throws IOException {
        Files.writeString(file, yaml);
        return file;
    }

    /** Loading fails with "file:line: " and every one of the words. */
    static void refused(Path file, ThrowingCallable load, int line, String... words) {
        assertThatThrownBy(load)
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(file + ":" + line + ": ")
                .hasMessageContainingAll(words);
    }
}
