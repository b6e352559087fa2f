package io.esp32hil.rig;

import static org.assertj.core.api.Assertions.assertThat;

import io.esp32hil.scenario.FirmwareProfile;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A testbed is stopped once, however many of its owners close it (a failed start closes it, and so does its caller). */
class RigTest {
    private static final Path FIRMWARE = Path.of(System.getProperty("hil.firmware.dir", "../firmware")).toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void closingTwiceStopsTheBoardAndServerOnce() {
        FirmwareProfile profile = FirmwareProfile.load(FIRMWARE.resolve("hil-profile.yaml"));
        AtomicInteger flashesKept = new AtomicInteger();
        Rig rig = Rig.builder().logDir(tmp).board(new SimTarget(), "board").firmware(profile.layout(), FIRMWARE, Map.of(), Map.of(), null)
                .beforeBoardOff(d -> flashesKept.incrementAndGet()).build().start();
        assertThat(rig.device()).isNotNull();
        assertThat(rig.backend()).isPresent();
        rig.close();
        rig.close();
        assertThat(flashesKept).as("the board's flash is kept once, before the board powers off").hasValue(1);
        assertThat(rig.device().temporaryFlash()).hasValueSatisfying(f -> assertThat(f).doesNotExist());
    }
}
