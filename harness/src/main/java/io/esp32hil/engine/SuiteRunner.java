package io.esp32hil.engine;

import io.esp32hil.scenario.Scenario;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs scenarios on a target, several boards at once where the target allows, each scenario
 * {@code repeat} times, and reports each result as soon as it is known (so a report can be written
 * even when the run is cut short).
 */
public final class SuiteRunner {
    private final ScenarioRunner runner;
    private final Target target;
    private final int parallel;
    private final int repeat;
    private final PrintStream progress;

    public SuiteRunner(ScenarioRunner runner, Target target, int parallel, int repeat, PrintStream progress) {
        this.runner = runner;
        this.target = target;
        this.parallel = Math.max(1, Math.min(parallel, target.maxParallel()));
        this.repeat = Math.max(1, repeat);
        this.progress = progress;
    }

    /** Each scenario against the built-in server. */
    public List<ScenarioResult> run(List<Scenario> scenarios, Path runDir, Consumer<ScenarioResult> onResult) throws InterruptedException {
        return runJobs(scenarios.stream().map(Job::of).toList(), runDir, onResult);
    }

    /** Each job, results in the jobs' order; a job with a skip reason is reported skipped without starting anything. */
    public List<ScenarioResult> runJobs(List<Job> jobs, Path runDir, Consumer<ScenarioResult> onResult) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "suite");
            t.setDaemon(true);
            return t;
        });
        List<Future<ScenarioResult>> futures = new ArrayList<>();
        int total = jobs.size() * repeat;
        int[] done = {0};
        for (Job job : jobs) {
            for (int k = 1; k <= repeat; k++) {
                int rep = repeat > 1 ? k : 0;
                futures.add(pool.submit(() -> {
                    ScenarioResult r = job.skip() != null ? runner.skipped(job.scenario(), target, job.backend(), runDir, rep, job.skip())
                            : runner.run(job.scenario(), target, job.backend(), runDir, rep);
                    synchronized (done) {
                        done[0]++;
                        progress.printf(Locale.ROOT, "[%d/%d] %-9s %-44s %6.1f s%s%n", done[0], total, r.status(), r.displayName(),
                                r.duration().toMillis() / 1000.0, r.status() == Status.PASSED ? "" : "  " + firstLine(r.message()));
                        onResult.accept(r);
                    }
                    return r;
                }));
            }
        }
        List<ScenarioResult> results = new ArrayList<>();
        try {
            for (Future<ScenarioResult> f : futures) {
                results.add(f.get());
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the suite runner failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return results;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
