package io.esp32hil.engine;

import io.esp32hil.scenario.steps.StepContext.Observed;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Lines with their arrival times (a board's serial lines, a backend's log), waited on from a cursor that each match moves
 * past: a line printed before the wait began is still found, and no line matches twice.
 */
final class LogLines {
    private final List<Observed> lines = new ArrayList<>();
    private int cursor;

    synchronized void add(long nanos, String text) {
        lines.add(new Observed(nanos, text));
        notifyAll();
    }

    /** The first line after the cursor that matches, or null once deadline (System.nanoTime) passes or stop says so. */
    synchronized Observed await(Predicate<String> matching, long deadline, Runnable check) throws InterruptedException {
        while (true) {
            for (int i = cursor; i < lines.size(); i++) {
                if (matching.test(lines.get(i).text())) {
                    cursor = i + 1;
                    return lines.get(i);
                }
            }
            check.run();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, Math.min(left / 1_000_000, 200)));
        }
    }

    /** Lines after the cursor that match; moves the cursor to the end. */
    synchronized List<Observed> drain(Predicate<String> matching) {
        List<Observed> found = new ArrayList<>();
        for (int i = cursor; i < lines.size(); i++) {
            if (matching.test(lines.get(i).text())) {
                found.add(lines.get(i));
            }
        }
        cursor = lines.size();
        return found;
    }

    synchronized List<String> tail(int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size()).stream().map(Observed::text).toList();
    }
}
