package io.esp32hil.scenario.steps;

import io.esp32hil.backend.Backend;
import io.esp32hil.device.BenchControl;
import io.esp32hil.device.Device;
import io.esp32hil.net.FaultProxy;
import io.esp32hil.observe.Cursor;
import io.esp32hil.observe.Line;
import io.esp32hil.observe.Waits;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.Step;
import io.esp32hil.server.ServerEvent;
import java.util.List;
import java.util.Map;

/**
 * The running scenario as a step sees it: the board, the server side, what was observed so far, and
 * the ways to wait. Every wait ends early when a tripwire fires or the board goes away.
 */
public interface StepContext {
    FirmwareProfile profile();

    Device device();

    /** The board's bench control; a step that needs it fails on a board without. */
    BenchControl bench();

    /** The next boot banner is one the run caused (a reset, a power cycle), not an unexpected reboot. */
    void expectReboot();

    /** A line of the harness's own in the report's timeline. */
    void note(String text);

    /** A text value with {@code ${server_url}} and the run's other values filled in. */
    String substitute(String text);

    /** Records the step's {@code mark:}, if it has one, at that moment. */
    void mark(Step step, long nanos);

    Map<String, Long> marks();

    Map<String, Double> metrics();

    /** The board's serial lines, from where the last wait on them stopped. */
    Cursor<Line> serial();

    /** The server's own log (a backend's output, the built-in server's events as server.log shows them), from where the last wait stopped. */
    Cursor<Line> backendLog();

    /** The built-in test server's events, from where the last wait stopped; only a run with the built-in server has them. */
    Cursor<ServerEvent> serverEvents();

    /** The run's way to wait on anything else (a pin, the passing of time), ended early by the tripwires like every wait. */
    Waits waits();

    /** The failure of a step, its message followed by what the board and server did last. */
    StepFailed failure(String message);

    void runSteps(List<Step> steps) throws InterruptedException;

    /** What serves the board: the built-in test server or a container backend. */
    Backend backend();

    /** The fault proxy in front of the server; there is one whenever a step {@link StepKind#usesProxy() uses} it. */
    FaultProxy proxy();
}
