package io.esp32hil.engine;

import java.util.List;

/**
 * Told how a suite run goes, in JUnit's TestExecutionListener style: the CLI prints from it, the
 * report writes itself from it, and anything else (a progress bar, a dashboard) can subscribe the
 * same way. Calls come one at a time, in the order things happen.
 */
public interface RunListener {
    /** Before the first scenario starts. */
    default void runStarted(RunProgress plan) {}

    /** A scenario run has its result; done of total runs have theirs. */
    default void scenarioFinished(RunProgress.Task task, ScenarioResult result, long done, long total) {}

    /** Every run has its result (or the run was stopped); results in the jobs' order. */
    default void runFinished(List<ScenarioResult> results) {}
}
