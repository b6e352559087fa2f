package io.esp32hil.scenario.steps;

import io.esp32hil.net.Fault;
import io.esp32hil.net.FaultProxy;
import io.esp32hil.scenario.Step;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code proxy: FAULT}: a fault in the TCP proxy between the board and whichever server serves it. */
final class Proxy extends StepKind {
    static final List<String> FAULTS = List.of("drop", "refuse", "blackhole", "latency", "bandwidth", "cut_after", "clear");
    /** The modifier a fault means nothing without. */
    private static final Map<String, String> NEEDED = Map.of("latency", "delay", "bandwidth", "bytes_per_s", "cut_after", "bytes");

    Proxy() {
        super("proxy: FAULT", null, "on", "delay", "bytes_per_s", "bytes", "mark");
    }

    @Override
    public void check(Step step, Scope scope) {
        String v = step.value() == null ? null : step.valueText();
        if (!FAULTS.contains(v)) {
            throw scope.error(step, "unknown proxy fault '" + v + "' (valid: " + String.join(", ", FAULTS) + ")");
        }
        String needed = NEEDED.get(v);
        if (needed != null && !step.args().containsKey(needed)) {
            throw scope.error(step, "'proxy: " + v + "' needs '" + needed + "'");
        }
    }

    @Override
    public boolean usesProxy() {
        return true;
    }

    @Override
    public void run(Step step, StepContext run) {
        FaultProxy proxy = run.proxy();
        switch (step.valueText()) {
            case "drop" -> proxy.drop();
            case "refuse" -> on(proxy, Fault.refuse(), step.flag("on", true));
            case "blackhole" -> on(proxy, Fault.blackhole(), step.flag("on", true));
            case "latency" -> proxy.add(Fault.latency(step.duration("delay", Duration.ZERO)));
            case "bandwidth" -> proxy.add(Fault.bandwidth(step.integer("bytes_per_s", 0)));
            case "cut_after" -> proxy.add(Fault.cutAfter(step.integer("bytes", -1)));
            case "clear" -> proxy.clear();
            default -> throw new IllegalStateException(step.valueText());
        }
    }

    private static void on(FaultProxy proxy, Fault fault, boolean on) {
        if (on) {
            proxy.add(fault);
        } else {
            proxy.remove(fault.kind());
        }
    }
}
