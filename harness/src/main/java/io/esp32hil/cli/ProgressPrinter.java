package io.esp32hil.cli;

import io.esp32hil.engine.RunListener;
import io.esp32hil.engine.RunProgress;
import io.esp32hil.engine.ScenarioResult;
import io.esp32hil.engine.Status;
import java.io.PrintStream;
import java.util.Locale;

/** The CLI's line per finished scenario: {@code [3/46] PASSED    smoke   1.2 s}, with why when it did not pass. */
public final class ProgressPrinter implements RunListener {
    private final PrintStream out;

    public ProgressPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void scenarioFinished(RunProgress.Task task, ScenarioResult r, long done, long total) {
        out.printf(Locale.ROOT, "[%d/%d] %-9s %-44s %6.1f s%s%n", done, total, r.status(), r.displayName(), r.duration().toMillis() / 1000.0,
                r.status() == Status.PASSED ? "" : "  " + firstLine(r.message()));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
