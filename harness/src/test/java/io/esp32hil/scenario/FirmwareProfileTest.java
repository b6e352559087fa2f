package io.esp32hil.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirmwareProfileTest {
    private static final Path PROFILE = Path.of(System.getProperty("hil.firmware.dir", "../firmware"), "hil-profile.yaml");

    @TempDir
    Path tmp;

    @Test
    void theFirmwaresProfileNamesTheEventThatSaysItIsReady() {
        FirmwareProfile p = FirmwareProfile.load(PROFILE);
        assertThat(p.ready()).isEqualTo("connected");
        assertThat(p.events()).containsKey(p.ready());
    }

    @Test
    void readyMustNameAnEventOfTheProfile() throws IOException {
        Path f = tmp.resolve("p.yaml");
        Files.writeString(f, """
                name: mini
                events:
                  up: '^up$'
                ready: online
                """);
        assertThatThrownBy(() -> FirmwareProfile.load(f))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(f + ":4: ")
                .hasMessageContaining("'ready' names event 'online', which 'events' does not define");
    }

    @Test
    void aProfileWithoutReadyHasNone() throws IOException {
        Path f = tmp.resolve("p.yaml");
        Files.writeString(f, "name: mini\nevents:\n  up: '^up$'\n");
        assertThat(FirmwareProfile.load(f).ready()).isNull();
    }
}
