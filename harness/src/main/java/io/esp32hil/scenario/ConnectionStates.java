package io.esp32hil.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The report's picture of a firmware's connection, as its profile declares it: the states in order
 * (a board starts in the first), each with its colour and the firmware events that begin it.
 */
public record ConnectionStates(List<State> states) {
    /** One state: its name in the picture, its colour, the events that begin it. */
    public record State(String name, String colour, List<String> events) {}

    /** No picture: a profile that declares no states. */
    public static final ConnectionStates NONE = new ConnectionStates(List.of());

    /** The state a board is in before its firmware says anything, or nothing when there are no states. */
    public Optional<State> initial() {
        return states.stream().findFirst();
    }

    /** The state the event begins, if it begins one. */
    public Optional<State> startedBy(String event) {
        return states.stream().filter(s -> s.events().contains(event)).findFirst();
    }

    /** {@code states:} of a profile: a list of {state, colour, on: [events]}. */
    static ConnectionStates read(Path file, int line, Object value, Set<String> events) {
        String usage = "'states' is a list like [{state: connected, colour: \"#41ab5d\", on: [connected]}]";
        if (!(value instanceof List<?> list)) {
            throw new ScenarioException(file, line, usage);
        }
        List<State> states = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("state") instanceof String name) || !(m.get("colour") instanceof String colour)
                    || !Set.of("state", "colour", "on").containsAll(m.keySet())) {
                throw new ScenarioException(file, line, usage);
            }
            if (!colour.matches("#[0-9a-fA-F]{6}")) {
                throw new ScenarioException(file, line, "state '" + name + "': 'colour' is #rrggbb, not '" + colour + "'");
            }
            List<String> on = FirmwareProfile.eventList(file, line, m.get("on"), events, "state '" + name + "': 'on'");
            states.add(new State(name, colour, on));
        }
        return new ConnectionStates(List.copyOf(states));
    }
}
