package io.esp32hil.engine;

import io.esp32hil.scenario.FirmwareProfile;
import io.esp32hil.scenario.FloorRule;
import java.util.Map;

/**
 * How long the steps took, and the floor under that: the time the scenario's design makes the board
 * wait, as the profile's {@link FloorRule} reads its events (a firmware's joins, backoffs, and the
 * time from its last sign of life until it declares a link dead), plus the scenario's own waits.
 * Their ratio shows how much the harness and simulator add on top.
 */
final class FloorMetrics {
    private FloorMetrics() {}

    /** The run's steps began at stepsStarted and ended at end (or were cut off then); setup and teardown are around them. */
    static void add(Map<String, Double> metrics, Timeline timeline, FirmwareProfile profile, long stepsStarted, long end, long waitedMs,
            long closedIn) {
        if (stepsStarted == 0) {
            return;
        }
        double floor = waitedMs;
        long lastAlive = stepsStarted;
        FloorRule rule = profile.floor();
        for (Timeline.Entry e : timeline.entries()) {
            if (!"serial".equals(e.source()) || e.event() == null || e.nanos() < stepsStarted) {
                continue;
            }
            String field = rule.waits().get(e.event());
            if (field != null) {
                floor += number(profile, e, field);
            }
            if (rule.deadLink().contains(e.event())) {
                floor += (e.nanos() - lastAlive) / 1e6;
            }
            if (rule.alive().contains(e.event())) {
                lastAlive = Math.max(lastAlive, e.nanos());
            }
        }
        double steps = (end - stepsStarted) / 1e6;
        metrics.putIfAbsent("steps_ms", steps);
        // what the harness costs around the steps: board on, server up, firmware deployed and
        // booted; and everything stopped again
        metrics.putIfAbsent("setup_ms", (double) Math.round((stepsStarted - timeline.origin()) / 1e6));
        metrics.putIfAbsent("teardown_ms", (double) Math.round(closedIn / 1e6));
        if (floor >= 500) {
            metrics.putIfAbsent("floor_ms", floor);
            metrics.putIfAbsent("floor_ratio", Math.round(steps / floor * 100) / 100.0);
        }
    }

    private static double number(FirmwareProfile profile, Timeline.Entry e, String field) {
        String v = FirmwareProfile.fields(profile.events().get(e.event()), e.text()).get(field);
        return v == null || v.isEmpty() ? 0 : Double.parseDouble(v);
    }
}
