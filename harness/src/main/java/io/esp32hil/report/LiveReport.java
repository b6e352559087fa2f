package io.esp32hil.report;

import io.esp32hil.engine.RunListener;
import io.esp32hil.engine.RunProgress;
import io.esp32hil.engine.ScenarioResult;
import java.util.List;

/**
 * The report, written again each time a scenario finishes: while the run goes on, every report shows
 * the runs without a result as not run, so a killed run's report is never green. Once the run is
 * interrupted, that report is the last: no later write replaces it.
 */
public final class LiveReport implements RunListener {
    private static final String UNFINISHED = "no result yet when this report was written";

    private final ReportWriter writer;
    private final RunInfo info;
    private final RunProgress plan;
    private boolean interrupted;

    public LiveReport(ReportWriter writer, RunInfo info, RunProgress plan) {
        this.writer = writer;
        this.info = info;
        this.plan = plan;
    }

    @Override
    public void runStarted(RunProgress p) {
        write(info.running(), plan.resultsSoFar(UNFINISHED));
    }

    @Override
    public void scenarioFinished(RunProgress.Task task, ScenarioResult result, long done, long total) {
        write(info.running(), plan.resultsSoFar(UNFINISHED));
    }

    @Override
    public void runFinished(List<ScenarioResult> results) {
        write(info.finished(), results);
    }

    /** The run was interrupted (Ctrl-C): what it has so far is the report, and it stays. */
    public synchronized void interrupted() {
        interrupted = true;
        plan.stop();
        writer.write(info.stoppedByUser(), plan.resultsSoFar("the run was interrupted"));
    }

    private synchronized void write(RunInfo state, List<ScenarioResult> results) {
        if (!interrupted) {
            writer.write(state, results);
        }
    }
}
