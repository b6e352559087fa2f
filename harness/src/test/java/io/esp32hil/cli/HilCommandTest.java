package io.esp32hil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hil command as users meet it: exit codes, messages without stack traces, reports however a run ends. */
class HilCommandTest {
    private static final String HOME = Path.of(System.getProperty("hil.home", "..")).toAbsolutePath().normalize().toString();

    @TempDir
    Path tmp;

    private record Outcome(int code, String out, String err) {}

    private Outcome hil(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String oldHome = System.getProperty("hil.home");
        System.setProperty("hil.home", HOME);
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Hil.execute(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            if (oldHome == null) {
                System.clearProperty("hil.home");
            } else {
                System.setProperty("hil.home", oldHome);
            }
        }
    }

    @Test
    void everyCommandExplainsItself() {
        for (String command : List.of("run", "list", "serve", "sim", "doctor", "ports", "deploy", "monitor")) {
            Outcome help = hil(command, "--help");
            assertThat(help.code()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: hil " + command);
        }
        assertThat(hil("run", "--help").out()).contains("--backend");
    }

    @Test
    void anUnknownBackendIsAUsageErrorThatListsTheKnownOnes() {
        Path scenario = Path.of(HOME, "scenarios", "interop", "interop-connect-echo.yaml");
        Outcome unknown = hil("run", scenario.toString(), "--backend", "rust", "--reports", tmp.resolve("reports").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown backend 'rust'").contains("java, node, python").doesNotContain("at io.esp32hil");
    }

    @Test
    void aBackendImageThatDoesNotExistIsAUsageErrorBeforeAnyBoardStarts() throws IOException {
        io.esp32hil.backend.Docker.assumeImages();
        Path scenario = Path.of(HOME, "scenarios", "interop", "interop-connect-echo.yaml");
        Path file = tmp.resolve("gone.yaml");
        Files.writeString(file, "name: gone\nimage: esp32hil/no-such-image:0\nport: 8080\n");
        Outcome missing = hil("run", scenario.toString(), "--backend", file.toString(), "--reports", tmp.resolve("reports").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("image 'esp32hil/no-such-image:0' is not on this machine").doesNotContain("at io.esp32hil");
        assertThat(tmp.resolve("reports")).doesNotExist();
    }

    @Test
    void aBadScenarioIsAUsageErrorWithFileAndLineAndNoStackTrace() throws IOException {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "name: bad\nsteps:\n  - expect: conected\n");
        Outcome o = hil("run", bad.toString(), "--reports", tmp.resolve("reports").toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains(bad + ":3: unknown firmware event 'conected'").doesNotContain("at io.esp32hil");
        assertThat(hil("run", "--parallel").code()).isEqualTo(2);
        assertThat(hil("run", "--target", "mars", bad.toString()).err()).contains("unknown target 'mars'");
        assertThat(hil("run", tmp.resolve("missing.yaml").toString()).err()).contains("missing.yaml: no such scenario file");
    }

    @Test
    void listNamesEveryBadFileNotJustTheFirst() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("suite"));
        Files.writeString(dir.resolve("a.yaml"), "name: ..\nsteps:\n  - reset\n");
        Files.writeString(dir.resolve("b.yaml"), "name: b\nsteps:\n  - wait: 0x10\n");
        Files.createDirectories(dir.resolve("c.yaml"));
        Outcome o = hil("list", dir.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("hil: " + dir.resolve("a.yaml") + ":1: a scenario's name is used for file names")
                .contains("hil: " + dir.resolve("b.yaml") + ":3: '0x10' is not a number")
                .contains("hil: " + dir.resolve("c.yaml") + ": cannot read the file: it is a folder")
                .contains("hil: 3 problems in the scenario files").doesNotContain("Exception");
    }

    @Test
    void listChecksAndShowsEveryScenario() {
        Outcome o = hil("list");
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("connect-boot-to-connected").containsPattern("\\d+ scenario\\(s\\)");
    }

    @Test
    void aFailingRunExitsOneAndItsReportShowsTheFailingStep() throws IOException {
        Path failing = tmp.resolve("failing.yaml");
        Files.writeString(failing, "name: deliberately-failing\nsteps:\n  - expect: connected\n    within: 20s\n  - expect: give_up\n    within: 1s\n");
        Path reports = tmp.resolve("reports");
        Outcome o = hil("run", failing.toString(), "--reports", reports.toString());
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.out()).contains("FAILED    deliberately-failing").contains("report: ");
        String html = Files.readString(reports.resolve("latest/report.html"));
        assertThat(html).contains("Failing step 2</b> (line 5)").contains("no serial event 'give_up'").contains("[ws] connected url=");
    }

    private static String readQuietly(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }

    /** The simulated boards' temporary flash folders (each holds a config.py with the run's credentials). */
    private static java.util.Set<Path> flashFolders() throws IOException {
        try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("hil-flash-")).collect(java.util.stream.Collectors.toSet());
        }
    }

    /** Starts hil run in a process of its own and waits until the board of scenario 'slow' is connected. */
    private Process startSlowRun(Path reports) throws Exception {
        Path slow = tmp.resolve("slow.yaml");
        Files.writeString(slow, "name: slow\nsteps:\n  - expect: connected\n    within: 30s\n  - wait: 60s\n");
        Files.writeString(tmp.resolve("later.yaml"), "name: later\nsteps:\n  - expect: connected\n    within: 30s\n");
        Process hil = hilProcess(Path.of("").toAbsolutePath(), "run", slow.toString(), tmp.resolve("later.yaml").toString(), "--parallel", "1",
                "--reports", reports.toString());
        // Interrupt once the board is connected, i.e. in the middle of the scenario's steps.
        // the report folder changes while it is walked (files written and renamed): a vanished file is no answer yet
        await().alias("the board connected in the child run").atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class).until(() -> {
            if (!Files.isDirectory(reports)) {
                return false;
            }
            try (var files = Files.walk(reports)) {
                return files.filter(f -> f.getFileName().toString().equals("slow.log"))
                        .anyMatch(f -> readQuietly(f).contains("[ws] connected url="));
            }
        });
        return hil;
    }

    @Test
    void anInterruptedRunLeavesAReportThatSaysSoAndNoChildProcess() throws Exception {
        java.util.Set<Path> flashBefore = flashFolders();
        Path reports = tmp.resolve("reports");
        Process hil = startSlowRun(reports);
        List<ProcessHandle> children = hil.descendants().toList();
        assertThat(children).as("the board the run started").isNotEmpty();
        hil.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks
        assertThat(hil.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (ProcessHandle child : children) {
            child.onExit().get(10, TimeUnit.SECONDS);
            assertThat(child.isAlive()).as("child " + child.info().command().orElse("?")).isFalse();
        }
        JsonNode results = new ObjectMapper().readTree(reports.resolve("latest/results.json").toFile());
        assertThat(results.path("interrupted").asBoolean()).isTrue();
        assertThat(results.path("complete").asBoolean()).isFalse();
        assertThat(results.path("scenarios").findValuesAsText("status")).containsExactly("not_run", "not_run");
        assertThat(results.path("scenarios").findValuesAsText("message")).containsExactly(
                "it was still running: the run was interrupted", "not run: the run was interrupted");
        String junit = Files.readString(reports.resolve("latest/junit.xml"));
        assertThat(junit).contains("tests=\"2\" failures=\"0\" errors=\"2\"").contains("<error type=\"not_run\"");
        assertThat(Files.readString(reports.resolve("latest/report.html"))).contains("(interrupted)");
        assertThat(Files.readString(tmp.resolve("hil.out"))).contains("hil: interrupted; report so far:");
        assertThat(flashFolders()).as("the boards' flash, with its credentials").isSubsetOf(flashBefore);
    }

    @Test
    void aKilledRunsReportSaysItIsNotCompleteAndNotGreen() throws Exception {
        java.util.Set<Path> flashBefore = flashFolders();
        Path reports = tmp.resolve("reports");
        Process hil = startSlowRun(reports);
        List<ProcessHandle> children = hil.descendants().toList();
        hil.destroyForcibly(); // SIGKILL: no shutdown hook runs, only what was written before stays
        assertThat(hil.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (ProcessHandle child : children) { // the simulator notices its parent is gone
            child.onExit().get(20, TimeUnit.SECONDS);
        }
        JsonNode results = new ObjectMapper().readTree(reports.resolve("latest/results.json").toFile());
        assertThat(results.path("complete").asBoolean()).isFalse();
        assertThat(results.path("interrupted").asBoolean()).isFalse();
        assertThat(Files.readString(reports.resolve("latest/junit.xml"))).contains("errors=\"2\"").doesNotContain("errors=\"0\"");
        assertThat(Files.readString(reports.resolve("latest/report.html"))).contains("(not finished)");
        assertThat(flashFolders()).as("the orphaned board removed its flash, with its credentials").isSubsetOf(flashBefore);
    }

    @Test
    void repeatIsRefusedWhenTooLargeAndTheReportsRootIsCheckedBeforeTheRun() throws IOException {
        Path scenario = Path.of(HOME, "scenarios", "connect-boot-to-connected.yaml");
        Outcome huge = hil("run", scenario.toString(), "--repeat", "2000000000", "--reports", tmp.resolve("r").toString());
        assertThat(huge.code()).isEqualTo(2);
        assertThat(huge.err()).contains("--repeat 2000000000 makes 2000000000 runs").doesNotContain("Exception");
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Outcome unwritable = hil("run", scenario.toString(), "--reports", file.resolve("reports").toString());
        assertThat(unwritable.code()).isEqualTo(2);
        assertThat(unwritable.err()).contains("hil: cannot create a report folder in " + file.resolve("reports")).contains("is not a folder")
                .doesNotContain("Exception").doesNotContain("at io.esp32hil");
        assertThat(unwritable.out()).doesNotContain("PASSED");
    }

    @Test
    void optionValuesThatCannotWorkAreUsageErrorsNamingTheOption() {
        Outcome port = hil("serve", "--port", "70000");
        assertThat(port.code()).isEqualTo(2);
        assertThat(port.err()).contains("--port 70000 is not a TCP port").doesNotContain("Exception");
        Outcome url = hil("deploy", "--url", "not-a-url");
        assertThat(url.code()).isEqualTo(2);
        assertThat(url.err()).contains("--url 'not-a-url' is not a WebSocket URL").doesNotContain("Exception");
        Outcome token = hil("deploy", "--url", "http://host/ws?token=abc123");
        assertThat(token.err()).contains("'http://host/ws?<redacted>'").doesNotContain("abc123");
        Outcome baud = hil("monitor", "--port", "/dev/null", "--baud", "0");
        assertThat(baud.code()).isEqualTo(2);
        assertThat(baud.err()).contains("--baud 0 is not a serial speed").doesNotContain("Exception");
        Outcome missing = hil("monitor", "--port", tmp.resolve("ttyNothing").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("serial port " + tmp.resolve("ttyNothing") + " does not exist (given by --port)");
    }

    /** The hil command as a process of its own, in the given working folder. */
    private Process hilProcess(Path workingDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dhil.home=" + HOME, "-cp", System.getProperty("java.class.path"), "io.esp32hil.cli.Hil"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(workingDir.toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve("hil.out").toFile()).start();
    }

    @Test
    void runWorksFromAnyWorkingFolder() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Process hil = hilProcess(elsewhere, "run", Path.of(HOME, "scenarios", "message-text.yaml").toString(), "--reports", tmp.resolve("r").toString());
        assertThat(hil.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(tmp.resolve("hil.out"))).contains("PASSED    message-text");
        assertThat(hil.exitValue()).isZero();
    }

    @Test
    void serveKeepsServingWhenItsStandardInputEnds() throws Exception {
        Process serve = hilProcess(tmp, "serve", "--host", "127.0.0.1", "--port", "0");
        try {
            serve.getOutputStream().close(); // as under nohup or systemd: nothing on stdin
            String url = await().atMost(Duration.ofSeconds(30)).until(() -> {
                var m = java.util.regex.Pattern.compile("test server on (ws://\\S+)").matcher(readQuietly(tmp.resolve("hil.out")));
                return m.find() ? m.group(1) : null;
            }, java.util.Objects::nonNull);
            await().atMost(Duration.ofSeconds(10)).until(() -> readQuietly(tmp.resolve("hil.out")).contains("serving until Ctrl-C or SIGTERM"));
            var ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(java.net.URI.create(url), new java.net.http.WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
            ws.sendClose(1000, "bye").get(10, TimeUnit.SECONDS);
            assertThat(serve.isAlive()).isTrue();
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }
}
