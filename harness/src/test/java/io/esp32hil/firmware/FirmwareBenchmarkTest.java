package io.esp32hil.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import io.esp32hil.repl.RawRepl;
import io.esp32hil.sim.SimulatedBoard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints the firmware's figures on the simulated board against test_server.py: echo round trips per
 * second (64-byte messages), echo throughput (4 KB messages), and its heap. Run with
 * {@code mvn verify -Pbenchmark}; nothing here asserts a timing.
 *
 * <p>The simulator's MicroPython frees memory only between top-level runs, so the client is driven
 * one message per raw-REPL run: the heap allocated at the end of a run (live objects plus everything
 * the run allocated) bounds the peak of that run from above, and the figure at the start of the next
 * run (after the collection) is what stays resident.
 */
@Tag("benchmark")
class FirmwareBenchmarkTest {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void echoThroughputAndHeap() {
        try (PythonTestServer server = PythonTestServer.start(0, tmp.resolve("server.log"))) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("WIFI_SSID", "bench");
            c.put("WIFI_PASSWORD", "pw");
            c.put("WS_URL", "ws://127.0.0.1:" + server.port() + "/");
            c.put("PING_INTERVAL_MS", 0);
            c.put("STATUS_INTERVAL_MS", 0);
            java.nio.file.Path flash = tmp.resolve("flash");
            Firmware.deployLibrary(flash, c);
            try (SimulatedBoard board = SimulatedBoard.builder().flashDir(flash).logDir(tmp.resolve("logs")).name("bench")
                    .accessPoint("bench", "pw").joinTime(Duration.ofMillis(10)).start()) {
                board.console().expect(">>> ", T);
                RawRepl repl = new RawRepl(board.console(), T);
                repl.enter();
                long base = number(repl, "import gc\nprint(gc.mem_alloc())");
                long importPeak = number(repl, "import gc, websocket_client as w\nprint(gc.mem_alloc())") - base;
                long importResident = number(repl, "print(gc.mem_alloc())") - base;
                repl.execOrThrow("c = w.Client(w.load_config())\ngot = [0]\ndef on(m):\n    got[0] += 1\n"
                        + "c.on_message = on\nwhile not c.connected:\n    c.poll(100)\n");
                long connectedResident = number(repl, "print(gc.mem_alloc())") - base;
                double rps = rate(repl, 64, 3000);
                double bytesPerSecond = rate(repl, 4096, 3000) * 4096;
                repl.execOrThrow("c.cfg['LOG_MESSAGES'] = False");
                double rpsQuiet = rate(repl, 64, 3000);
                long before = number(repl, "c.cfg['LOG_MESSAGES'] = True\nbig = 'y' * 4096\nmsg = None\nprint(0)");
                before = number(repl, "print(gc.mem_alloc())") - base;
                long peak = 0;
                for (int i = 0; i < 20; i++) {
                    peak = Math.max(peak, number(repl, "want = got[0] + 1\nc.send(big)\nprint(gc.mem_alloc())") - base);
                    peak = Math.max(peak, number(repl, "while got[0] < want:\n    c.poll(1000)\nprint(gc.mem_alloc())") - base);
                }
                long after = number(repl, "print(gc.mem_alloc())") - base;
                System.out.printf("%nfirmware benchmark (simulated ESP32, test_server.py on loopback)%n");
                System.out.printf("  echo round trips, 64-byte text: %.0f /s (%.0f /s with LOG_MESSAGES = False)%n", rps, rpsQuiet);
                System.out.printf("  echo throughput, 4 KB text: %.1f KB/s each way%n", bytesPerSecond / 1024);
                System.out.printf("  heap: import websocket_client peak <= %d B, resident %d B%n", importPeak, importResident);
                System.out.printf("  heap: connected client resident %d B (%d B without the module's code, which a frozen build keeps in flash)%n",
                        connectedResident, connectedResident - importResident);
                System.out.printf("  heap: while echoing 4 KB messages peak <= %d B (%d B without the module's code; goal <= 32768)%n",
                        peak, peak - importResident);
                System.out.printf("        (an upper bound: resident heap plus all that one send or one receive allocates,"
                        + " garbage included, as the simulator cannot collect mid-run)%n");
                System.out.printf("  heap: resident before 20 echoes %d B, after %d B%n", before, after);
                assertThat(rps).isPositive();
                assertThat(peak).isPositive();
            }
        }
    }

    private static long number(RawRepl repl, String code) {
        String out = repl.execOrThrow(code).strip();
        return Long.parseLong(out.substring(out.lastIndexOf('\n') + 1).strip());
    }

    /** Echo round trips per second with messages of the given size, over about ms milliseconds. */
    private static double rate(RawRepl repl, int size, int ms) {
        String out = repl.execOrThrow("import time\nmsg = 'x' * " + size + "\nn = 0\nt0 = time.ticks_ms()\n"
                + "while time.ticks_diff(time.ticks_ms(), t0) < " + ms + ":\n    want = got[0] + 1\n    c.send(msg)\n"
                + "    while got[0] < want:\n        c.poll(1000)\n    n += 1\nprint(n, time.ticks_diff(time.ticks_ms(), t0))").strip();
        String[] last = out.substring(out.lastIndexOf('\n') + 1).strip().split(" ");
        return Long.parseLong(last[0]) * 1000.0 / Long.parseLong(last[1]);
    }
}
