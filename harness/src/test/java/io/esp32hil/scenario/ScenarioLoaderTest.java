package io.esp32hil.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.esp32hil.device.Capability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {
    private static final Path PROFILE = Path.of(System.getProperty("hil.firmware.dir", "../firmware"), "hil-profile.yaml");

    @TempDir
    Path tmp;

    private final ScenarioLoader loader = new ScenarioLoader(FirmwareProfile.load(PROFILE));

    private Path file(String yaml) throws IOException {
        Path f = tmp.resolve("s.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private void fails(String yaml, int line, String... words) throws IOException {
        Path f = file(yaml);
        assertThatThrownBy(() -> loader.load(f))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(f + ":" + line + ": ")
                .hasMessageContainingAll(words);
    }

    @Test
    void aGoodScenarioIsReadWithItsStepsAndLines() throws IOException {
        Scenario s = loader.load(file("""
                name: demo
                description: a demo
                tags: [a, b]
                needs: [bench_control]
                timeout: 90s
                config:
                  PING_INTERVAL_MS: 1000
                tripwires: {unexpected_reboot: false}
                server: {tls: true, path: /x, subprotocols: [chat]}
                steps:
                  - expect: connected
                    within: 5s
                    where: {protocol: chat}
                    mark: up
                  - set_pin: {pin: 4, value: 1}
                  - repeat: 2
                    steps:
                      - server: drop
                      - expect: connected
                        mark: again
                  - measure: back
                    from: up
                    to: again
                  - assert: back
                    max: 3000
                  - reset
                """));
        assertThat(s.name()).isEqualTo("demo");
        assertThat(s.needs()).containsExactly(Capability.BENCH_CONTROL);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.config()).containsEntry("PING_INTERVAL_MS", 1000L);
        assertThat(s.tripwires()).containsEntry("unexpected_reboot", false);
        assertThat(s.server().tls()).isTrue();
        assertThat(s.steps()).extracting(Step::action).containsExactly("expect", "set_pin", "repeat", "measure", "assert", "reset");
        assertThat(s.steps().get(0).line()).isEqualTo(11);
        assertThat(s.steps().get(1).integer("pin", 0)).isEqualTo(4);
        assertThat(s.steps().get(2).steps()).hasSize(2);
    }

    @Test
    void aNameThatIsNoSafeFileNameIsRefused() throws IOException {
        for (String name : new String[] {"\"..\"", "\".\"", "\"\"", "/tmp/x", "../../x", "a/b", "\"a b\"", "-dash", "x".repeat(81)}) {
            fails("steps:\n  - reset\nname: " + name + "\n", 3, "a scenario's name is used for file names");
        }
        assertThat(loader.load(file("name: ok.name_1-2\nsteps:\n  - reset\n")).name()).isEqualTo("ok.name_1-2");
    }

    @Test
    void anAppMustBeAFileInsideTheFirmwareFolder() throws IOException {
        Path firmware = Files.createDirectories(tmp.resolve("fw/examples"));
        Files.writeString(firmware.resolve("app.py"), "print(1)");
        Files.writeString(tmp.resolve("secret.py"), "x");
        Files.createSymbolicLink(firmware.resolve("escape.py"), tmp.resolve("secret.py"));
        ScenarioLoader fw = new ScenarioLoader(FirmwareProfile.load(PROFILE), tmp.resolve("fw"));
        assertThat(fw.load(file("name: x\napp: examples/./app.py\nsteps:\n  - reset\n")).app()).isEqualTo("examples/app.py");
        for (String app : new String[] {"../secret.py", tmp.resolve("secret.py").toString(), "examples/escape.py", "examples/../../secret.py"}) {
            Path f = file("name: x\napp: " + app + "\nsteps:\n  - reset\n");
            assertThatThrownBy(() -> fw.load(f)).as(app).hasMessageStartingWith(f + ":2: ").hasMessageContaining("app");
        }
        Path f = file("name: x\napp: ../hil.properties\nsteps:\n  - reset\n");
        assertThatThrownBy(() -> fw.load(f)).hasMessageStartingWith(f + ":2: ").hasMessageContaining(".py file inside the firmware folder");
        Path missing = file("name: x\napp: examples/none.py\nsteps:\n  - reset\n");
        assertThatThrownBy(() -> fw.load(missing)).hasMessageContaining("is not a file in");
    }

    @Test
    void malformedYamlNamesTheLine() throws IOException {
        fails("name: x\nsteps:\n  - expect: connected\n   within: [\n", 4, "malformed YAML");
    }

    @Test
    void anUnknownStepListsTheValidOnes() throws IOException {
        fails("name: x\nsteps:\n  - reset\n  - expct: connected\n", 4, "unknown step 'expct'", "valid:", "expect_server", "repeat");
    }

    @Test
    void anUnknownEventListsTheProfilesEvents() throws IOException {
        fails("name: x\nsteps:\n  - expect: conected\n", 3, "unknown firmware event 'conected'", "connected", "closed");
    }

    @Test
    void aBadRegexIsNamed() throws IOException {
        fails("name: x\nsteps:\n  - expect_line: 'ws] (unclosed'\n", 3, "bad regular expression");
    }

    @Test
    void aBadDurationIsNamed() throws IOException {
        fails("name: x\nsteps:\n  - expect: connected\n    within: soon\n", 3, "'within' must be a duration", "soon");
        fails("name: x\ntimeout: forever\nsteps:\n  - reset\n", 2, "duration");
        fails("name: x\nsteps:\n  - wait: 3 sec\n", 3, "duration");
    }

    @Test
    void unknownKeysAndModifiersAreNamed() throws IOException {
        fails("name: x\nstepz: []\n", 2, "unknown key 'stepz'", "valid:");
        fails("name: x\nsteps:\n  - expect: connected\n    whithin: 5s\n", 3, "has no 'whithin'", "within");
        fails("name: x\nsteps:\n  - server: explode\n", 3, "unknown server action 'explode'", "drop");
        fails("name: x\nsteps:\n  - expect_server: opened\n", 3, "unknown server event 'opened'", "open");
    }

    @Test
    void aStepThatNeedsACapabilityMustDeclareIt() throws IOException {
        fails("name: x\nsteps:\n  - wifi: down\n", 3, "needs bench_control", "declare it under 'needs'");
        fails("name: x\nneeds: [teleport]\nsteps:\n  - reset\n", 2, "unknown capability 'teleport'");
    }

    @Test
    void missingPartsAndBadValues() throws IOException {
        fails("steps:\n  - reset\n", 1, "missing 'name'");
        fails("name: x\n", 1, "missing 'steps'");
        fails("name: x\nsteps:\n  - server: close\n", 3, "needs a 'code'");
        fails("name: x\nsteps:\n  - send: {text: a, size: 3}\n", 3, "exactly one of");
        fails("name: x\nsteps:\n  - send: {raw: xyz}\n", 3, "hex bytes");
        fails("name: x\nsteps:\n  - measure: t\n    from: a\n    to: b\n", 3, "mark set earlier");
        fails("name: x\nsteps:\n  - assert: t\n    max: 3\n", 3, "no earlier 'measure'");
        fails("name: x\nsteps:\n  - repeat: 0\n    steps: [reset]\n", 3, "positive whole number");
        fails("name: x\nconfig: {ping: 1}\nsteps:\n  - reset\n", 2, "UPPER_CASE");
        fails("name: x\ntripwires: {sneeze: true}\nsteps:\n  - reset\n", 2, "unknown tripwire 'sneeze'", "traceback");
    }

    @Test
    void proxyFaultsAndBackendLogSteps() throws IOException {
        Scenario s = loader.load(file("""
                name: p
                backend: python
                steps:
                  - proxy: latency
                    delay: 200ms
                  - proxy: cut_after
                    bytes: 100
                  - expect_backend_log: '#1 open'
                  - server: close
                    code: 1001
                  - send: {text: hi}
                  - repeat: 2
                    steps:
                      - send: {size: 10}
                """));
        assertThat(s.backend()).isEqualTo("python");
        assertThat(s.usesProxy()).isTrue();
        assertThat(s.serverFeatures()).containsExactly("close", "send", "send:size");
        fails("name: x\nsteps:\n  - proxy: flood\n", 3, "unknown proxy fault 'flood'", "drop, refuse, blackhole, latency");
        fails("name: x\nsteps:\n  - proxy: latency\n", 3, "'proxy: latency' needs 'delay'");
        fails("name: x\nsteps:\n  - proxy: cut_after\n    bytes: lots\n", 3, "whole number 'bytes'");
        fails("name: x\nsteps:\n  - proxy: refuse\n    on: maybe\n", 3, "'on' is true or false");
        fails("name: x\nsteps:\n  - expect_backend_log: '(open'\n", 3, "bad regular expression");
    }

    @Test
    void backendFilesBesideTheScenariosAreNoScenarios() throws IOException {
        Files.writeString(tmp.resolve("one.yaml"), "name: one\nsteps:\n  - reset\n");
        Files.createDirectories(tmp.resolve("backends"));
        Files.writeString(tmp.resolve("backends/mine.yaml"), "name: mine\nimage: i\nport: 80\n");
        assertThat(loader.loadAll(java.util.List.of(tmp))).extracting(Scenario::name).containsExactly("one");
    }

    @Test
    void heapMeasurementsMakeMetricsAndGrowth() throws IOException {
        Scenario s = loader.load(file("name: h\nsteps:\n  - heap: a\n  - heap: b\n    compare_to: a\n  - assert: b_growth\n    max: 1024\n"));
        assertThat(s.steps()).extracting(Step::action).containsExactly("heap", "heap", "assert");
        fails("name: h\nsteps:\n  - heap: b\n    compare_to: a\n", 3, "'compare_to' names metric 'a'");
    }

    @Test
    void twoScenariosWithOneNameAreRefused() throws IOException {
        Files.writeString(tmp.resolve("a.yaml"), "name: same\nsteps: [reset]\n");
        Files.writeString(tmp.resolve("b.yaml"), "name: same\nsteps: [reset]\n");
        Files.writeString(tmp.resolve("defaults.yaml"), "config: {X: 1}\n");
        assertThatThrownBy(() -> loader.loadAll(java.util.List.of(tmp))).hasMessageContaining("also named 'same'");
    }

    @Test
    void durationsAsScenariosWriteThem() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("2 hours")).isNull();
    }
}
