package io.esp32hil.scenario.steps;

import io.esp32hil.backend.ContainerBackend;
import io.esp32hil.backend.FaultProxy;
import io.esp32hil.device.BenchControl;
import io.esp32hil.device.Device;
import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.Step;
import io.esp32hil.server.ServerEvent;
import io.esp32hil.server.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The running scenario as a step sees it: the board, the server side, what was observed so far, and
 * the ways to wait. Every wait ends early when a tripwire fires or the board goes away.
 */
public interface StepContext {
    /** A line seen (serial or backend log) and when, on the run's clock. */
    record Observed(long nanos, String text) {}

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

    /** The next serial line that matches, from where the last wait stopped, or nothing within the time. */
    Optional<Observed> awaitSerial(Predicate<String> matching, Duration within) throws InterruptedException;

    /** Waits out the period (one of the scenario's own waits) and returns the serial lines that matched in it. */
    List<Observed> serialDuring(Duration period, Predicate<String> matching) throws InterruptedException;

    /** The next line of the server's own log (a backend's output, the built-in server's events) that matches. */
    Optional<Observed> awaitBackendLog(Predicate<String> matching, Duration within) throws InterruptedException;

    /** The next event of the built-in server that matches. */
    Optional<ServerEvent> awaitServerEvent(Predicate<ServerEvent> matching, String what, Duration within);

    /** Polls the condition until it holds, or false when the time is up. */
    boolean awaitCondition(BooleanSupplier condition, Duration within) throws InterruptedException;

    /** Waits the time out (one of the scenario's own waits, counted toward the floor). */
    void pause(Duration d) throws InterruptedException;

    /** The failure of a step, its message followed by what the board and server did last. */
    StepFailed failure(String message);

    void runSteps(List<Step> steps) throws InterruptedException;

    /** The built-in test server, when it serves this run. */
    Optional<TestServer> testServer();

    /** The container backend, when one serves this run. */
    Optional<ContainerBackend> container();

    /** The fault proxy in front of the server; there is one whenever a step {@link StepKind#usesProxy() uses} it. */
    FaultProxy proxy();
}
