package io.esp32hil.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a run stands: which scenario runs are done, which are running, which have not started. Runs
 * are handed out one at a time (a million repetitions cost nothing until they run), and a report can
 * be written at any moment with what has not finished shown as such, never as green.
 */
public final class RunProgress {
    /** One run of one job: repetition is 0 when the scenario runs once, else 1..repeat. */
    public record Task(int jobIndex, Job job, int repetition) {}

    /** More runs than any machine gets through; a larger plan is a typing mistake (or an overflow). */
    public static final long MAX_RUNS = 10_000_000;

    private final List<Job> jobs;
    private final int repeat;
    private final String target;
    private int nextJob;
    private int nextRepetition = 1;
    private boolean stopped;
    private final Set<Task> running = new LinkedHashSet<>();
    private final List<Map.Entry<Task, ScenarioResult>> done = new ArrayList<>();

    /** Why a plan of this size cannot be run (null: it can), in words for the user. */
    public static String sizeProblem(int jobs, int repeat) {
        long runs = (long) jobs * repeat;
        return repeat >= 1 && runs <= MAX_RUNS ? null
                : "--repeat " + repeat + " makes " + runs + " runs of " + jobs + " scenario(s): more than " + MAX_RUNS + " runs do not fit in one report";
    }

    public RunProgress(List<Job> jobs, int repeat, String target) {
        String problem = sizeProblem(jobs.size(), repeat);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.jobs = List.copyOf(jobs);
        this.repeat = repeat;
        this.target = target;
    }

    public long total() {
        return (long) jobs.size() * repeat;
    }

    /** The next run to start, or null when every run has been handed out (or the run was stopped). */
    public synchronized Task next() {
        if (stopped || nextJob >= jobs.size()) {
            return null;
        }
        Task t = new Task(nextJob, jobs.get(nextJob), repeat > 1 ? nextRepetition : 0);
        if (++nextRepetition > repeat) {
            nextRepetition = 1;
            nextJob++;
        }
        running.add(t);
        return t;
    }

    /** Records a finished run; returns how many are finished now. */
    public synchronized long finished(Task task, ScenarioResult result) {
        running.remove(task);
        done.add(Map.entry(task, result));
        return done.size();
    }

    /** No further run starts. */
    public synchronized void stop() {
        stopped = true;
    }

    /** The finished runs, in the order of the jobs and their repetitions. */
    public synchronized List<ScenarioResult> results() {
        return done.stream().sorted(ORDER).map(Map.Entry::getValue).toList();
    }

    /**
     * The finished runs, then one NOT_RUN entry for each run still going and one for each job's runs
     * not started, each saying why (the run was interrupted, or had not finished when this was written).
     */
    public synchronized List<ScenarioResult> resultsSoFar(String why) {
        List<ScenarioResult> all = new ArrayList<>(results());
        running.forEach(t -> all.add(notRun(t.job(), t.repetition(), "it was still running: " + why)));
        for (int j = 0; j < jobs.size(); j++) {
            long started = j < nextJob ? repeat : j == nextJob ? nextRepetition - 1 : 0;
            long left = repeat - started;
            if (left > 0) {
                all.add(notRun(jobs.get(j), 0, (repeat > 1 ? left + " of " + repeat + " repetitions not run: " : "not run: ") + why));
            }
        }
        return all;
    }

    private ScenarioResult notRun(Job job, int repetition, String message) {
        var s = job.scenario();
        return new ScenarioResult(s.name(), s.description(), s.file(), s.tags(), target, job.backend().name(), repetition, Status.NOT_RUN,
                System.nanoTime(), Duration.ZERO, message, null, List.of(), List.of(), Map.of(), List.of(), null,
                io.esp32hil.scenario.ConnectionStates.NONE);
    }

    private static final Comparator<Map.Entry<Task, ScenarioResult>> ORDER = Comparator
            .<Map.Entry<Task, ScenarioResult>>comparingInt(e -> e.getKey().jobIndex()).thenComparingInt(e -> e.getKey().repetition());
}
