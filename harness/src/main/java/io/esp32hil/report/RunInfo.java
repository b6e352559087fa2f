package io.esp32hil.report;

import java.time.Instant;

/**
 * What a report says about the run as a whole. {@code complete} only once every scenario has a
 * result (a report written while running, or left by a killed run, says false); {@code interrupted}
 * only when the user stopped the run (Ctrl-C, SIGTERM).
 */
public record RunInfo(String id, String target, Instant started, String command, boolean complete, boolean interrupted) {

    /** A finished run's report (complete), or an interrupted one's. */
    public RunInfo(String id, String target, Instant started, String command, boolean interrupted) {
        this(id, target, started, command, !interrupted, interrupted);
    }

    public RunInfo running() {
        return new RunInfo(id, target, started, command, false, false);
    }

    public RunInfo finished() {
        return new RunInfo(id, target, started, command, true, false);
    }

    public RunInfo stoppedByUser() {
        return new RunInfo(id, target, started, command, false, true);
    }
}
