package io.esp32hil.engine;

import io.esp32hil.rig.Target;
import io.esp32hil.scenario.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs scenarios on a target, several boards at once where the target allows, each scenario
 * {@code repeat} times, and reports each result as soon as it is known (so a report can be written
 * even when the run is cut short). Each board's thread takes the next run when it is free: nothing
 * is made up front for runs that have not started.
 */
public final class SuiteRunner {
    private final ScenarioRunner runner;
    private final Target target;
    private final int parallel;
    private final int repeat;
    private final List<RunListener> listeners;

    /** A runner that tells the listeners how the run goes. */
    public SuiteRunner(ScenarioRunner runner, Target target, int parallel, int repeat, RunListener... listeners) {
        this.runner = runner;
        this.target = target;
        this.parallel = Math.max(1, Math.min(parallel, target.maxParallel()));
        this.repeat = Math.max(1, repeat);
        this.listeners = List.of(listeners);
    }

    /** How many boards run at once for a plan of this many runs. */
    public int boards(long runs) {
        return (int) Math.max(1, Math.min(parallel, runs));
    }

    /** Each scenario against the built-in server. */
    public List<ScenarioResult> run(List<Scenario> scenarios, Path runDir) throws InterruptedException {
        return runJobs(scenarios.stream().map(Job::of).toList(), runDir);
    }

    /** Each job, results in the jobs' order; a job with a skip reason is reported skipped without starting anything. */
    public List<ScenarioResult> runJobs(List<Job> jobs, Path runDir) throws InterruptedException {
        return run(plan(jobs), runDir);
    }

    /** The plan for these jobs on this runner's target, to follow while it runs. */
    public RunProgress plan(List<Job> jobs) {
        return new RunProgress(jobs, repeat, target.name());
    }

    /** Runs the plan; results in the jobs' order. */
    public List<ScenarioResult> run(RunProgress plan, Path runDir) throws InterruptedException {
        int boards = boards(plan.total());
        ExecutorService pool = Executors.newFixedThreadPool(boards, r -> {
            Thread t = new Thread(r, "suite");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> workers = new ArrayList<>();
        Object telling = new Object();
        listeners.forEach(l -> l.runStarted(plan));
        for (int i = 0; i < boards; i++) {
            workers.add(pool.submit(() -> {
                for (RunProgress.Task task; (task = plan.next()) != null; ) {
                    Job job = task.job();
                    ScenarioResult r = job.skip() != null ? runner.skipped(job.scenario(), target, job.backend(), runDir, task.repetition(), job.skip())
                            : runner.run(job.scenario(), target, job.backend(), runDir, task.repetition());
                    synchronized (telling) {
                        long done = plan.finished(task, r);
                        for (RunListener l : listeners) {
                            l.scenarioFinished(task, r, done, plan.total());
                        }
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : workers) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the suite runner failed: " + e.getCause(), e.getCause());
        } finally {
            plan.stop();
            pool.shutdownNow();
        }
        List<ScenarioResult> results = plan.results();
        listeners.forEach(l -> l.runFinished(results));
        return results;
    }
}
