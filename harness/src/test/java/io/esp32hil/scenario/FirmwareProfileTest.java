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
                files: {main.py: main.py}
                """);
        assertThatThrownBy(() -> FirmwareProfile.load(f))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(f + ":4: ")
                .hasMessageContaining("'ready' names event 'online', which 'events' does not define");
    }

    @Test
    void aProfileWithoutReadyHasNone() throws IOException {
        Path f = tmp.resolve("p.yaml");
        Files.writeString(f, "name: mini\nfiles: {main.py: main.py}\nevents:\n  up: '^up$'\n");
        FirmwareProfile p = FirmwareProfile.load(f);
        assertThat(p.ready()).isNull();
        assertThat(p.states()).isEqualTo(ConnectionStates.NONE);
        assertThat(p.floor()).isEqualTo(FloorRule.NONE);
    }

    @Test
    void theProfileOwnsTheFirmwaresFilesItsPictureAndItsFloor() {
        FirmwareProfile p = FirmwareProfile.load(PROFILE);
        assertThat(p.layout().files()).containsKeys("main.py", "boot.py", "ws_config.py", "websocket_client.py");
        assertThat(p.layout().library()).containsExactly("websocket_client.py", "ws_config.py");
        assertThat(p.states().initial()).map(ConnectionStates.State::name).hasValue("booting");
        assertThat(p.states().startedBy("ping_timeout")).map(ConnectionStates.State::name).hasValue("disconnected");
        assertThat(p.floor().waits()).containsEntry("reconnect_scheduled", "delay");
        assertThat(p.floor().deadLink()).containsExactly("ping_timeout");
    }

    @Test
    void whatTheProfileSaysOfFilesStatesAndFloorIsChecked() throws IOException {
        String events = "events:\n  up: '^up ms=(?<ms>\\d+)'\n";
        fails("name: m\n" + events, 1, "the profile names no 'files'");
        fails("name: m\nfiles: {main.py: ../outside.py}\n" + events, 2, "paths inside the firmware folder");
        fails("name: m\nfiles: {main.py: \"a\\0b.py\"}\n" + events, 2, "paths inside the firmware folder");
        fails("name: m\nfiles: {main.py: main.py}\nlibrary: [lib.py]\n" + events, 2, "'library' is a list of board files that 'files' names");
        fails("name: m\nfiles: {main.py: main.py}\n" + events + "states:\n  - {state: alive, colour: \"#00ff00\", on: [down]}\n", 6,
                "'on' is a list of the profile's events");
        fails("name: m\nfiles: {main.py: main.py}\n" + events + "states:\n  - {state: alive, colour: green}\n", 6, "'colour' is #rrggbb");
        fails("name: m\nfiles: {main.py: main.py}\n" + events + "floor:\n  waits: {up: delay}\n", 6, "names up: delay, which is not an event with that field");
    }

    private void fails(String yaml, int line, String words) throws IOException {
        Path f = BadFiles.write(tmp.resolve("p.yaml"), yaml);
        BadFiles.refused(f, () -> FirmwareProfile.load(f), line, words);
    }
}
