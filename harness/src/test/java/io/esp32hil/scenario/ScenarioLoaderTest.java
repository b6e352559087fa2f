package io.esp32hil.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.esp32hil.device.Capability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {
    private static final Path PROFILE = Path.of(System.getProperty("hil.firmware.dir", "../firmware"), "hil-profile.yaml");

    @TempDir
    Path tmp;

    private final ScenarioLoader loader = new ScenarioLoader(FirmwareProfile.load(PROFILE));

    private Path file(String yaml) throws IOException {
        return BadFiles.write(tmp.resolve("s.yaml"), yaml);
    }

    private void fails(String yaml, int line, String... words) throws IOException {
        Path f = file(yaml);
        BadFiles.refused(f, () -> loader.load(f), line, words);
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
    void recursiveAliasesAndDuplicateKeysAreRefusedWithTheirLine() throws IOException {
        fails("name: x\nsteps: &s\n  - repeat: 2\n    steps: *s\n", 2, "recursive alias");
        fails("name: x\nconfig: &c {A: *c}\nsteps:\n  - reset\n", 2, "recursive alias");
        fails("name: x\nsteps:\n  - bogus: 1\nsteps:\n  - reset\n", 4, "key 'steps' appears twice", "first on line 2");
        fails("name: x\nsteps:\n  - expect: connected\n    within: 5s\n    within: 10s\n", 5, "key 'within' appears twice");
        fails("name: x\nconfig:\n  A_B: 1\n  A_B: 2\nsteps:\n  - reset\n", 4, "key 'A_B' appears twice");
    }

    @Test
    void numbersAreReadOnlyAsCommonlyWritten() throws IOException {
        fails("name: x\nconfig: {PING_INTERVAL_MS: 0x10}\nsteps:\n  - reset\n", 2, "'0x10' is not a number", "decimal");
        fails("name: x\nconfig: {PING_INTERVAL_MS: 1:30}\nsteps:\n  - reset\n", 2, "'1:30' is not a number");
        fails("name: x\nconfig: {PING_INTERVAL_MS: 010}\nsteps:\n  - reset\n", 2, "'010' is not a number");
        fails("name: x\nconfig: {PING_INTERVAL_MS: 99999999999999999999}\nsteps:\n  - reset\n", 2, "too large");
        fails("name: x\nconfig: {RECONNECT_JITTER: .inf}\nsteps:\n  - reset\n", 2, "not a finite decimal number");
        fails("name: x\nconfig: {RECONNECT_JITTER: 1.0e+999}\nsteps:\n  - reset\n", 2, "not a finite decimal number");
        fails("name: x\nconfig: {WS_HEADERS: {A: [1, 2]}}\nsteps:\n  - reset\n", 2, "nests deeper");
        fails("name: x\ntags: abc\nsteps:\n  - reset\n", 2, "expected a list");
        fails("name: x\nserver: {subprotocols: chat}\nsteps:\n  - reset\n", 2, "list of names");
        Scenario ok = loader.load(file("name: x\nconfig: {A: 1_000, B: -5, C: 0.25, D: \"0x10\"}\nsteps:\n  - reset\n"));
        assertThat(ok.config()).containsEntry("A", 1000L).containsEntry("B", -5L).containsEntry("C", 0.25).containsEntry("D", "0x10");
    }

    @Test
    void valuesThatWouldFailOrPassSilentlyAtRunTimeAreRefusedAtLoad() throws IOException {
        String head = "name: x\nsteps:\n  - expect: connected\n";
        fails(head + "    within: 99999999999999999999m\n", 3, "'within' is at most a day");
        fails(head + "    within: 0s\n", 3, "'within' must be longer than 0");
        fails(head + "    where: {protocol: \"~[unclosed\"}\n", 3, "bad regular expression");
        fails(head + "    where: {colour: red}\n", 3, "'where' names field 'colour'", "it has:");
        fails("name: x\nsteps:\n  - expect: reconnect_scheduled\n    save: {d: nothere}\n", 3, "'save' maps a metric name to a field");
        fails("name: x\nsteps:\n  - expect_server: close\n    where: {nope: 1}\n", 3, "'where' names field 'nope'", "code, reason, by");
        fails("name: x\nsteps:\n  - send: {size: -1}\n", 3, "'size' is a whole number from 0");
        fails("name: x\nsteps:\n  - send: {binary: -1}\n", 3, "'binary' is a whole number from 0");
        fails("name: x\nsteps:\n  - send: {text: hi, fragments: 0}\n", 3, "'fragments' is a whole number from 1");
        fails("name: x\nsteps:\n  - send: {text: hi, fragments: 5}\n", 3, "at most the text's length");
        fails("name: x\nsteps:\n  - server: periodic\n    interval: 0ms\n", 3, "'interval' must be longer than 0");
        fails("name: x\nsteps:\n  - server: periodic\n    text: \"100% %q\"\n", 3, "not a template");
        fails("name: x\nsteps:\n  - server: close\n    code: 99999\n", 3, "close code a server may send");
        fails("name: x\nsteps:\n  - server: close\n    code: 1006\n", 3, "close code a server may send");
        fails("name: x\nsteps:\n  - server: reject\n    status: 200\n", 3, "refuses the upgrade");
        fails("name: x\nsteps:\n  - server: refuse\n    on: maybe\n", 3, "'on' is true or false");
        fails("name: x\nneeds: [bench_control]\nsteps:\n  - wifi: down\n    mode: unplugged\n", 4, "'mode' is silent or deauth, not 'unplugged'");
        fails("name: x\nserver: {tls: \"yes please\"}\nsteps:\n  - reset\n", 2, "'tls' is true or false");
        fails("name: x\nserver: {path: null}\nsteps:\n  - reset\n", 2, "'path' is a URL path");
        fails("name: x\nneeds: [bench_control]\nsteps:\n  - set_pin: {pin: 99999, value: 1}\n", 4, "'pin' is a whole number from 0 to 39");
        fails("name: x\nneeds: [bench_control]\nsteps:\n  - set_adc: {pin: 34, value: 70000}\n", 4, "'value' is a whole number from 0 to 65535");
        fails("name: x\nsteps:\n  - expect: connected\n    mark: a\n  - measure: m\n    from: a\n    to: a\n  - assert: m\n    min: abc\n", 8,
                "'min' is a number");
        fails("name: x\nsteps:\n  - wait: 0s\n", 3, "'wait' must be longer than 0");
        fails("name: x\ntimeout: 0s\nsteps:\n  - reset\n", 2, "'timeout' must be longer than 0");
        fails("name: x\nsteps:\n  - repeat: 1000000000\n    steps: [reset]\n", 3, "'repeat' takes a whole number from 1 to 100000");
    }

    @Test
    void unreadableFilesAreSaidInPlainWords() throws IOException {
        Path latin1 = tmp.resolve("latin1.yaml");
        Files.write(latin1, "name: x\ndescription: caf\u00e9\nsteps: [reset]\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> loader.load(latin1)).hasMessage(latin1 + ":2: not UTF-8 text: byte 0xE9 on line 2 (save the file as UTF-8)");
        Path dir = Files.createDirectories(tmp.resolve("x.yaml"));
        assertThatThrownBy(() -> loader.load(dir)).hasMessage(dir + ": cannot read the file: it is a folder");
        Path gone = tmp.resolve("gone.yaml");
        assertThatThrownBy(() -> loader.load(gone)).hasMessage(gone + ": cannot read the file: no such file or folder");
        java.io.IOException denied = new java.nio.file.AccessDeniedException(gone.toString());
        assertThat(FileErrors.plain(denied)).isEqualTo(gone + ": permission denied");
    }

    @Test
    void everyBadFileIsReportedNotJustTheFirst() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("suite"));
        Files.writeString(dir.resolve("a.yaml"), "name: a\nsteps:\n  - expct: connected\n");
        Files.writeString(dir.resolve("b.yaml"), "name: b\nsteps:\n  - reset\n");
        Files.writeString(dir.resolve("c.yaml"), "name: c\nsteps:\n  - wait: soon\n");
        Files.writeString(dir.resolve("d.yaml"), "name: b\nsteps:\n  - reset\n");
        assertThatThrownBy(() -> loader.loadAll(List.of(dir)))
                .hasMessageContaining(dir.resolve("a.yaml") + ":3: unknown step 'expct'")
                .hasMessageContaining(dir.resolve("c.yaml") + ":3: 'wait' must be a duration")
                .hasMessageContaining(dir.resolve("d.yaml") + ":1: another scenario is also named 'b'")
                .hasMessageEndingWith("3 problems in the scenario files");
    }

    @Test
    void defaultsAreCheckedLikeAScenariosConfig() throws IOException {
        Path d = tmp.resolve("defaults.yaml");
        Files.writeString(d, "config:\n  PING_INTERVAL_MS: 0x10\n");
        assertThatThrownBy(() -> ScenarioLoader.loadDefaults(d)).hasMessageStartingWith(d + ":2: ").hasMessageContaining("not a number");
        Files.writeString(d, "config:\n  lower: 1\n");
        assertThatThrownBy(() -> ScenarioLoader.loadDefaults(d)).hasMessageStartingWith(d + ":2: ").hasMessageContaining("UPPER_CASE");
        Files.writeString(d, "config:\n  A: 1\n  A: 2\n");
        assertThatThrownBy(() -> ScenarioLoader.loadDefaults(d)).hasMessageStartingWith(d + ":3: ").hasMessageContaining("appears twice");
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
        fails("name: x\nsteps:\n  - repeat: 0\n    steps: [reset]\n", 3, "whole number from 1");
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
        fails("name: x\nsteps:\n  - proxy: cut_after\n    bytes: lots\n", 3, "'bytes' is a whole number");
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
