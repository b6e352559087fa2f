package io.esp32hil.scenario.steps;

import io.esp32hil.device.WifiLoss;
import io.esp32hil.scenario.Values;
import java.util.Map;

/** What each modifier holds, the same for every step that takes it: {@code within} is always a positive duration. */
final class Modifiers {
    static final long MAX_MESSAGE = 16L << 20;

    private static final Map<String, Values.Check> CHECKS = Map.ofEntries(
            Map.entry("within", Values.duration(false)), Map.entry("for", Values.duration(false)), Map.entry("interval", Values.duration(false)),
            Map.entry("delay", Values.duration(true)),
            Map.entry("mark", Values.name()), Map.entry("from", Values.name()), Map.entry("to", Values.name()), Map.entry("compare_to", Values.name()),
            Map.entry("text", Values.text((int) MAX_MESSAGE)), Map.entry("reason", Values.text(123)), Map.entry("payload", Values.text(125)),
            Map.entry("size", Values.whole(0, MAX_MESSAGE)), Map.entry("binary", Values.whole(0, MAX_MESSAGE)), Map.entry("fragments", Values.whole(1, 10_000)),
            Map.entry("code", Values.closeCode()), Map.entry("status", Values.whole(0, 599)),
            Map.entry("graceful", Values.bool()), Map.entry("on", Values.bool()),
            Map.entry("mode", v -> WifiLoss.of(String.valueOf(v)).isPresent() ? null : "is " + WifiLoss.words() + ", not " + Values.shown(v)),
            Map.entry("pin", Values.whole(0, 39)), Map.entry("value", Values.whole(0, 1)),
            Map.entry("min", Values.number()), Map.entry("max", Values.number()),
            Map.entry("bytes_per_s", Values.whole(1, 1_000_000_000)), Map.entry("bytes", Values.whole(0, 1L << 40)),
            Map.entry("raw", Values.text(1 << 20)));

    private Modifiers() {}

    /** The check of a modifier; one without a check here ({@code where}, {@code save}) is checked by its step. */
    static Values.Check check(String modifier) {
        return CHECKS.getOrDefault(modifier, v -> null);
    }
}
