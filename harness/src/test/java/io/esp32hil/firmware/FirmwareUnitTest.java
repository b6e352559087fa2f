package io.esp32hil.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.esp32hil.repl.ExecResult;
import io.esp32hil.repl.RawRepl;
import io.esp32hil.sim.SimulatedBoard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The firmware's own unit tests (firmware/tests/test_*.py) run by the real MicroPython interpreter of
 * the simulated board, deployed and started through the raw REPL as on a real ESP32. Each MicroPython
 * test becomes one JUnit test.
 */
class FirmwareUnitTest {
    private static final Pattern RESULT = Pattern.compile("^(PASS|FAIL) (\\S+?)(?:: (.*))?$", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> firmwareUnitTests() throws IOException {
        Path flash = tmp.resolve("flash");
        Files.createDirectories(flash);
        Firmware.copy(Firmware.MODULE, flash);
        List<String> modules = new ArrayList<>();
        try (Stream<Path> files = Files.list(Firmware.DIR.resolve("tests"))) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                Firmware.copy(f, flash);
                if (name.startsWith("test_") && name.endsWith(".py")) {
                    modules.add(name.substring(0, name.length() - 3));
                }
            }
        }
        assertThat(modules).as("firmware test modules").isNotEmpty();
        String list = String.join(", ", modules);
        ExecResult result;
        // The unit tests check logic, not the heap: all of them load at once, with frames up to 64 KB,
        // into a heap larger than a board's (the scenarios and integration tests keep a board's).
        try (SimulatedBoard board = SimulatedBoard.builder().flashDir(flash).logDir(tmp.resolve("logs")).name("unit")
                .heapBudget(1024 * 1024).start()) {
            RawRepl repl = new RawRepl(board.console(), Duration.ofSeconds(60));
            board.console().expect(">>> ", Duration.ofSeconds(20));
            repl.enter();
            result = repl.exec("import mpunit, " + list + "\nmpunit.run(" + list + ")");
        }
        if (result.failed() || !result.stdout().contains("SUMMARY")) {
            fail("the firmware tests did not run to the end:\n" + result.stdout() + result.stderr());
        }
        String out = result.stdout();
        List<DynamicTest> tests = new ArrayList<>();
        Matcher m = RESULT.matcher(out.replace("\r", ""));
        while (m.find()) {
            String name = m.group(2);
            boolean passed = m.group(1).equals("PASS");
            String why = m.group(3);
            String detail = tracebackAfter(out, name);
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (!passed) {
                    fail(why + "\n" + detail);
                }
            }));
        }
        assertThat(tests).as("results in:\n" + out).hasSizeGreaterThan(modules.size());
        return tests.stream();
    }

    private static String tracebackAfter(String out, String test) {
        int i = out.indexOf("FAIL " + test);
        if (i < 0) {
            return "";
        }
        int end = out.indexOf("\nPASS ", i + 1);
        int nextFail = out.indexOf("\nFAIL ", i + 1);
        if (end < 0 || (nextFail >= 0 && nextFail < end)) {
            end = nextFail;
        }
        return out.substring(i, end < 0 ? out.length() : end);
    }
}
