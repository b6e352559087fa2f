package io.esp32hil.scenario;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * How a firmware's serial lines map to the events scenarios name ({@code connected},
 * {@code closed}, ...), plus the tripwire patterns. Named groups in a pattern become the event's
 * fields, which {@code where:} in a step compares. {@code ready} names the event that says the
 * firmware is up and serving (null if the profile names none): a step that has to restart the
 * firmware waits for it, so the scenario goes on as it would have without the restart. The profile
 * also says which files make the firmware ({@link FirmwareLayout}), how the report pictures its
 * connection ({@link ConnectionStates}) and what its events say about the floor under a run's time
 * ({@link FloorRule}): the harness names none of a firmware's events. A team with its own firmware
 * writes a profile, not new scenarios.
 */
public record FirmwareProfile(String name, Path file, Map<String, Pattern> events, Map<String, Pattern> tripwires, String ready,
        FirmwareLayout layout, ConnectionStates states, FloorRule floor) {

    public static FirmwareProfile load(Path file) {
        Node root = Yaml.read(file, "the firmware profile");
        if (!(root instanceof MappingNode map)) {
            throw new ScenarioException(file, Yaml.line(root), "a firmware profile is a mapping with name, events, tripwires and ready");
        }
        String name = file.getFileName().toString();
        Map<String, Pattern> events = new LinkedHashMap<>();
        Map<String, Pattern> tripwires = new LinkedHashMap<>();
        String ready = null;
        int readyLine = 0;
        Map<String, Node> later = new LinkedHashMap<>(); // read once the events are known
        for (NodeTuple t : map.getValue()) {
            String key = Yaml.scalar(file, t.getKeyNode());
            switch (key) {
                case "files", "compile", "library", "states", "floor" -> later.put(key, t.getValueNode());
                case "name" -> name = Yaml.scalar(file, t.getValueNode());
                case "events" -> patterns(file, t.getValueNode(), events);
                case "tripwires" -> patterns(file, t.getValueNode(), tripwires);
                case "ready" -> {
                    ready = Yaml.scalar(file, t.getValueNode());
                    readyLine = Yaml.line(t.getValueNode());
                }
                default -> throw new ScenarioException(file, Yaml.line(t.getKeyNode()), "unknown key '" + key + "' (valid: name, events, tripwires, ready, files, compile, library, states, floor)");
            }
        }
        if (events.isEmpty()) {
            throw new ScenarioException(file, 1, "the profile defines no events");
        }
        if (ready != null && !events.containsKey(ready)) {
            throw new ScenarioException(file, readyLine, "'ready' names event '" + ready + "', which 'events' does not define");
        }
        if (!later.containsKey("files")) {
            throw new ScenarioException(file, 1, "the profile names no 'files' (which files of the firmware folder go on the board)");
        }
        Node filesNode = later.get("files");
        FirmwareLayout layout = FirmwareLayout.read(file, Yaml.line(filesNode), Yaml.toJava(file, filesNode), value(file, later.get("compile")),
                value(file, later.get("library")));
        ConnectionStates states = later.containsKey("states")
                ? ConnectionStates.read(file, Yaml.line(later.get("states")), Yaml.toJava(file, later.get("states")), events.keySet()) : ConnectionStates.NONE;
        FloorRule floor = later.containsKey("floor")
                ? FloorRule.read(file, Yaml.line(later.get("floor")), Yaml.toJava(file, later.get("floor")), events) : FloorRule.NONE;
        // in the file's order: a line is the first event whose pattern it matches
        return new FirmwareProfile(name, file, java.util.Collections.unmodifiableMap(events), Map.copyOf(tripwires), ready, layout, states, floor);
    }

    private static Object value(Path file, Node node) {
        return node == null ? null : Yaml.toJava(file, node);
    }

    /** A list of the profile's event names (nothing: empty). */
    static java.util.List<String> eventList(Path file, int line, Object value, java.util.Set<String> events, String what) {
        if (value == null) {
            return java.util.List.of();
        }
        if (!(value instanceof java.util.List<?> l) || !events.containsAll(l.stream().map(String::valueOf).toList())) {
            throw new ScenarioException(file, line, what + " is a list of the profile's events, not " + value);
        }
        return l.stream().map(String::valueOf).toList();
    }

    private static void patterns(Path file, Node node, Map<String, Pattern> into) {
        if (!(node instanceof MappingNode map)) {
            throw new ScenarioException(file, Yaml.line(node), "expected a mapping of names to regular expressions");
        }
        for (NodeTuple t : map.getValue()) {
            String name = Yaml.scalar(file, t.getKeyNode());
            Node v = t.getValueNode();
            if (!(v instanceof ScalarNode)) {
                throw new ScenarioException(file, Yaml.line(v), "'" + name + "' must be a regular expression");
            }
            into.put(name, compile(file, Yaml.line(v), Yaml.scalar(file, v)));
        }
    }

    private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    /** The fields of an event: its pattern's named groups, in order. */
    public java.util.List<String> fields(String event) {
        Pattern p = events.get(event);
        return p == null ? java.util.List.of() : groupNames(p);
    }

    /** The fields of an event as a line fills them (empty when the line is not that event), JSON-quoted values unquoted. */
    public static Map<String, String> fields(Pattern event, String line) {
        java.util.regex.Matcher m = event.matcher(line);
        Map<String, String> fields = new LinkedHashMap<>();
        if (m.find()) {
            for (String name : groupNames(event)) {
                String v = m.group(name);
                fields.put(name, v == null ? "" : unquote(v));
            }
        }
        return fields;
    }

    static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return v;
    }

    /** A pattern's named groups, in order. */
    public static java.util.List<String> groupNames(Pattern p) {
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.regex.Matcher m = GROUP_NAME.matcher(p.pattern());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    public static Pattern compile(Path file, int line, String regex) {
        try {
            return Pattern.compile(regex, Pattern.MULTILINE);
        } catch (PatternSyntaxException e) {
            throw new ScenarioException(file, line, "bad regular expression: " + e.getDescription() + " in " + regex);
        }
    }
}
