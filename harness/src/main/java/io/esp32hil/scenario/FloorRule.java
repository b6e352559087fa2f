package io.esp32hil.scenario;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a firmware's events say about the time a scenario must take by its design (the floor under a
 * run's time): events whose field is milliseconds the board waited (a join, a backoff), events that
 * are a sign of life, and events that declare a link dead some time after the last sign of life.
 */
public record FloorRule(Map<String, String> waits, List<String> alive, List<String> deadLink) {
    public static final FloorRule NONE = new FloorRule(Map.of(), List.of(), List.of());

    /** {@code floor:} of a profile: {waits: {event: field}, alive: [events], dead_link: [events]}. */
    static FloorRule read(Path file, int line, Object value, Map<String, java.util.regex.Pattern> events) {
        if (!(value instanceof Map<?, ?> m) || !Set.of("waits", "alive", "dead_link").containsAll(m.keySet())) {
            throw new ScenarioException(file, line, "'floor' is a mapping of waits ({event: field}), alive ([events]) and dead_link ([events])");
        }
        Map<String, String> waits = new LinkedHashMap<>();
        if (m.get("waits") != null) {
            if (!(m.get("waits") instanceof Map<?, ?> w)) {
                throw new ScenarioException(file, line, "'floor: waits' maps events to their field of milliseconds, like {connected: ms}");
            }
            w.forEach((event, field) -> {
                List<String> fields = events.containsKey(String.valueOf(event)) ? FirmwareProfile.groupNames(events.get(String.valueOf(event))) : null;
                if (fields == null || !fields.contains(String.valueOf(field))) {
                    throw new ScenarioException(file, line, "'floor: waits' names " + event + ": " + field + ", which is not an event with that field");
                }
                waits.put(String.valueOf(event), String.valueOf(field));
            });
        }
        return new FloorRule(Map.copyOf(waits), FirmwareProfile.eventList(file, line, m.get("alive"), events.keySet(), "'floor: alive'"),
                FirmwareProfile.eventList(file, line, m.get("dead_link"), events.keySet(), "'floor: dead_link'"));
    }
}
