package io.esp32hil.scenario.steps;

import io.esp32hil.device.HeapReading;
import io.esp32hil.repl.RawRepl;
import io.esp32hil.scenario.Durations;
import io.esp32hil.scenario.Step;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code heap: NAME}: the live heap the firmware keeps. Where the target can (the native engine), it
 * is read while the firmware runs, after a real collection, with what is free and the largest free
 * block; elsewhere the application is stopped (Ctrl-C), the heap collected and read at the REPL (two
 * runs, so the simulator's collection has happened), and the board reset so the application starts
 * again.
 */
final class Heap extends StepKind {
    /** Used, free, and the largest block the heap gives (found by allocating, as a program would). */
    private static final String AT_THE_REPL = """
            import gc
            def _largest(hi):
                lo = 0
                while lo < hi:
                    m = (lo + hi + 1) // 2
                    try:
                        b = bytearray(m)
                        del b
                        lo = m
                    except MemoryError:
                        hi = m - 1
                return lo
            gc.collect()
            print(gc.mem_alloc(), gc.mem_free(), _largest(gc.mem_free()))
            """;
    private static final Duration READY_AFTER_RESTART = Duration.ofSeconds(30);

    Heap() {
        super("heap: NAME", null, "compare_to");
    }

    @Override
    public void check(Step step, Scope scope) {
        String name = someValue(step, scope);
        String other = step.text("compare_to");
        if (other != null && !scope.hasMetric(other)) {
            throw scope.error(step, "'compare_to' names metric '" + other + "', which no earlier step makes");
        }
        scope.addMetrics(List.of(name, name + "_free", name + "_largest_free"));
        if (other != null) {
            scope.addMetrics(List.of(name + "_growth"));
            if (scope.hasMetric(other + "_largest_free")) { // compare_to names another heap step
                scope.addMetrics(List.of(name + "_largest_free_loss"));
            }
        }
    }

    @Override
    public void run(Step step, StepContext run) {
        String name = step.valueText();
        Optional<HeapReading> live = run.device().liveHeap();
        HeapReading h = live.isPresent() ? live.get() : atTheRepl(run);
        Map<String, Double> metrics = run.metrics();
        metrics.put(name, (double) h.used());
        metrics.put(name + "_free", (double) h.free());
        metrics.put(name + "_largest_free", (double) h.largestFree());
        String other = step.text("compare_to");
        if (other != null) {
            metrics.put(name + "_growth", h.used() - metrics.get(other));
            Double before = metrics.get(other + "_largest_free"); // compare_to may name a metric of another kind
            if (before != null) {
                metrics.put(name + "_largest_free_loss", before - h.largestFree());
            }
        }
        run.note(String.format(Locale.ROOT, "live heap %s = %d bytes, %d free, largest free block %d%s", name, h.used(), h.free(),
                h.largestFree(), live.isPresent() ? "; read while the firmware ran" : ""));
    }

    /**
     * Stops the application to read its heap at the REPL, restarts it, and waits until the firmware
     * says it is ready again (the profile's {@code ready} event), so that the scenario goes on as on a
     * target that reads the heap without stopping it.
     */
    private static HeapReading atTheRepl(StepContext run) {
        RawRepl repl = run.device().interruptToRepl();
        repl.execOrThrow("import gc\ngc.collect()");
        String out = repl.execOrThrow(AT_THE_REPL).strip();
        String[] figures = out.substring(out.lastIndexOf('\n') + 1).strip().split(" ");
        repl.exit();
        run.expectReboot();
        run.note("heap read at the REPL; restarted by " + run.device().reset().description());
        String ready = run.profile().ready();
        if (ready != null && run.serial().await("the firmware's '" + ready + "' after the heap step", l -> run.profile().events().get(ready).matcher(l.text()).find(),
                READY_AFTER_RESTART).isEmpty()) {
            throw run.failure("the firmware did not report '" + ready + "' within " + Durations.format(READY_AFTER_RESTART)
                    + " after the heap step restarted it");
        }
        return new HeapReading(Long.parseLong(figures[0]), Long.parseLong(figures[1]), Long.parseLong(figures[2]));
    }
}
