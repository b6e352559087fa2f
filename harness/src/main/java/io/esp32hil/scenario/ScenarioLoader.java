package io.esp32hil.scenario;

import io.esp32hil.device.Capability;
import io.esp32hil.server.ServerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads scenario files and checks everything before anything runs: unknown keys and steps (listing
 * the valid ones), unknown firmware events, bad regular expressions, bad durations, steps that need
 * a capability the scenario does not declare. Every error names the file and line.
 */
public final class ScenarioLoader {
    /** What each action takes: the kind of its value and the modifiers allowed next to it. */
    private record Spec(String value, Set<String> modifiers, Capability needs) {}

    private static final Map<String, Spec> STEPS = new LinkedHashMap<>();

    static {
        STEPS.put("reset", new Spec("none", Set.of("mark"), null));
        STEPS.put("power_cycle", new Spec("none", Set.of("mark"), Capability.POWER_CYCLE));
        STEPS.put("expect", new Spec("event", Set.of("within", "where", "mark", "save"), null));
        STEPS.put("expect_line", new Spec("regex", Set.of("within", "mark"), null));
        STEPS.put("expect_no", new Spec("event", Set.of("for", "where"), null));
        STEPS.put("expect_no_line", new Spec("regex", Set.of("for"), null));
        STEPS.put("expect_server", new Spec("server_event", Set.of("within", "where", "mark"), null));
        STEPS.put("send", new Spec("send", Set.of("text", "size", "binary", "raw", "fragments", "mark"), null));
        STEPS.put("server", new Spec("fault", Set.of("code", "reason", "graceful", "status", "delay", "on", "payload", "interval", "text", "mark"), null));
        STEPS.put("wifi", new Spec("wifi", Set.of("reset_connections", "mark"), Capability.BENCH_CONTROL));
        STEPS.put("access_points", new Spec("string", Set.of("mark"), Capability.BENCH_CONTROL));
        STEPS.put("set_pin", new Spec("none", Set.of("pin", "value", "mark"), Capability.BENCH_CONTROL));
        STEPS.put("set_adc", new Spec("none", Set.of("pin", "value", "mark"), Capability.BENCH_CONTROL));
        STEPS.put("expect_pin", new Spec("none", Set.of("pin", "value", "within"), Capability.BENCH_CONTROL));
        STEPS.put("wait", new Spec("duration", Set.of(), null));
        STEPS.put("repeat", new Spec("count", Set.of("steps"), null));
        STEPS.put("measure", new Spec("name", Set.of("from", "to"), null));
        STEPS.put("assert", new Spec("name", Set.of("min", "max"), null));
        STEPS.put("heap", new Spec("name", Set.of("compare_to"), null));
        STEPS.put("proxy", new Spec("proxy", Set.of("on", "delay", "bytes_per_s", "bytes", "mark"), null));
        STEPS.put("expect_backend_log", new Spec("regex", Set.of("within", "mark"), null));
    }

    static final List<String> FAULTS = List.of("close", "drop", "stop", "restart", "refuse", "reject", "delay_handshake", "blackhole",
            "stop_reading", "ignore_pings", "ping", "periodic", "stop_periodic");
    static final List<String> PROXY_FAULTS = List.of("drop", "refuse", "blackhole", "latency", "bandwidth", "cut_after", "clear");
    private static final Set<String> TOP = new TreeSet<>(List.of("name", "description", "tags", "needs", "timeout", "config", "tripwires", "server",
            "app", "backend", "steps"));
    /** Backend files live here, next to the scenarios, and are no scenarios themselves. */
    public static final String BACKENDS_DIR = "backends";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private final FirmwareProfile profile;
    private final Path firmwareDir;

    /** A loader for scenarios of the firmware whose profile this is; {@code app:} files are looked up beside the profile. */
    public ScenarioLoader(FirmwareProfile profile) {
        this(profile, profile.file().toAbsolutePath().getParent());
    }

    public ScenarioLoader(FirmwareProfile profile, Path firmwareDir) {
        this.profile = profile;
        this.firmwareDir = firmwareDir;
    }

    /** The {@code config:} of a suite's defaults.yaml (settings every scenario starts from), or nothing when there is none. */
    public static Map<String, Object> loadDefaults(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Node root = Yaml.read(file, "the file");
        Map<String, Object> top = asMap(file, root);
        for (String k : top.keySet()) {
            if (!k.equals("config")) {
                throw new ScenarioException(file, 1, "unknown key '" + k + "' (defaults.yaml has only config)");
            }
        }
        return top.containsKey("config") ? asMap(file, ((MappingNode) root).getValue().get(0).getValueNode()) : Map.of();
    }

    public static List<String> stepNames() {
        return List.copyOf(STEPS.keySet());
    }

    /** Every *.yaml / *.yml file under the paths (files or folders), sorted; defaults.yaml is not a scenario. */
    public List<Scenario> loadAll(List<Path> paths) {
        List<Scenario> all = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    for (Path f : files.filter(f -> isScenarioFile(f) && !p.relativize(f).startsWith(BACKENDS_DIR)).sorted().toList()) {
                        all.add(load(f));
                    }
                } catch (IOException e) {
                    throw new ScenarioException(p, 0, "cannot list scenarios: " + e.getMessage());
                }
            } else if (Files.isRegularFile(p)) {
                all.add(load(p));
            } else {
                throw new ScenarioException(p, 0, "no such scenario file or folder");
            }
        }
        Set<String> names = new HashSet<>();
        for (Scenario s : all) {
            if (!names.add(s.name())) {
                throw new ScenarioException(s.file(), 1, "another scenario is also named '" + s.name() + "'");
            }
        }
        return all;
    }

    static boolean isScenarioFile(Path f) {
        String n = f.getFileName().toString();
        return (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.startsWith("defaults.");
    }

    public Scenario load(Path file) {
        Node root = Yaml.read(file, "the file");
        Map<String, Node> top = Yaml.keys(file, root, TOP, "a scenario is a mapping with at least name and steps");
        String name = required(file, top, "name", root);
        String unsafe = SafeName.problem("a scenario's name", name);
        if (unsafe != null) {
            throw new ScenarioException(file, Yaml.line(top.get("name")), unsafe);
        }
        Set<Capability> needs = EnumSet.noneOf(Capability.class);
        if (top.containsKey("needs")) {
            for (Node n : list(file, top.get("needs"))) {
                String id = Yaml.scalar(file, n);
                try {
                    needs.add(Capability.valueOf(id.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new ScenarioException(file, Yaml.line(n), "unknown capability '" + id + "' (valid: "
                            + Arrays.stream(Capability.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ")");
                }
            }
        }
        Duration timeout = top.containsKey("timeout") ? duration(file, top.get("timeout")) : DEFAULT_TIMEOUT;
        Map<String, Object> config = top.containsKey("config") ? asMap(file, top.get("config")) : Map.of();
        for (String key : config.keySet()) {
            if (!key.matches("[A-Z][A-Z0-9_]*")) {
                throw new ScenarioException(file, Yaml.line(top.get("config")), "config keys are firmware settings in UPPER_CASE, not '" + key + "'");
            }
        }
        Map<String, Boolean> tripwires = new LinkedHashMap<>();
        if (top.containsKey("tripwires")) {
            asMap(file, top.get("tripwires")).forEach((k, v) -> {
                if (!profile.tripwires().containsKey(k)) {
                    throw new ScenarioException(file, Yaml.line(top.get("tripwires")), "unknown tripwire '" + k + "' (the profile has: "
                            + String.join(", ", new TreeSet<>(profile.tripwires().keySet())) + ")");
                }
                if (!(v instanceof Boolean b)) {
                    throw new ScenarioException(file, Yaml.line(top.get("tripwires")), "tripwire '" + k + "' takes true or false");
                }
                tripwires.put(k, b);
            });
        }
        Scenario.ServerSetup server = top.containsKey("server") ? server(file, top.get("server")) : Scenario.ServerSetup.DEFAULT;
        Node stepsNode = top.get("steps");
        if (stepsNode == null) {
            throw new ScenarioException(file, Yaml.line(root), "missing 'steps'");
        }
        Set<String> marks = new HashSet<>();
        Set<String> metrics = new HashSet<>();
        List<Step> steps = steps(file, stepsNode, needs, marks, metrics);
        List<String> tags = top.containsKey("tags") ? list(file, top.get("tags")).stream().map(n -> Yaml.scalar(file, n)).toList() : List.of();
        String description = top.containsKey("description") ? Yaml.scalar(file, top.get("description")).strip() : "";
        String app = top.containsKey("app") ? app(file, top.get("app")) : null;
        String backend = top.containsKey("backend") ? Yaml.scalar(file, top.get("backend")) : null;
        return new Scenario(name, description, file, tags, needs, timeout, config, Map.copyOf(tripwires), server, app, backend, steps);
    }

    /**
     * The {@code app:} file as a path inside the firmware folder: it is deployed to the board and copied
     * into the report with the board's flash, so nothing outside the firmware may be named (no absolute
     * path, no '..', no symbolic link that leads out).
     */
    private String app(Path file, Node node) {
        String app = Yaml.scalar(file, node);
        int line = Yaml.line(node);
        String usage = "'app' is a .py file inside the firmware folder, like examples/advanced_example.py";
        Path relative;
        try {
            relative = Path.of(app);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ScenarioException(file, line, usage + ", not '" + app + "'");
        }
        if (app.isBlank() || relative.isAbsolute() || !app.endsWith(".py")) {
            throw new ScenarioException(file, line, usage + ", not '" + app + "'");
        }
        Path base;
        Path real;
        try {
            base = firmwareDir.toRealPath();
            real = base.resolve(relative).toRealPath();
        } catch (IOException e) {
            throw new ScenarioException(file, line, "app '" + app + "' is not a file in " + firmwareDir);
        }
        if (!real.startsWith(base) || real.equals(base)) {
            throw new ScenarioException(file, line, "app '" + app + "' is outside the firmware folder " + base + " (" + usage + ")");
        }
        if (!Files.isRegularFile(real)) {
            throw new ScenarioException(file, line, "app '" + app + "' is not a file in " + firmwareDir);
        }
        return base.relativize(real).toString();
    }

    private Scenario.ServerSetup server(Path file, Node node) {
        Map<String, Object> m = asMap(file, node);
        for (String k : m.keySet()) {
            if (!Set.of("tls", "path", "subprotocols", "echo").contains(k)) {
                throw new ScenarioException(file, Yaml.line(node), "unknown server setting '" + k + "' (valid: echo, path, subprotocols, tls)");
            }
        }
        @SuppressWarnings("unchecked")
        List<String> protocols = m.containsKey("subprotocols") ? ((List<Object>) m.get("subprotocols")).stream().map(String::valueOf).toList() : List.of();
        return new Scenario.ServerSetup(Boolean.TRUE.equals(m.get("tls")), String.valueOf(m.getOrDefault("path", "/ws")), protocols,
                !Boolean.FALSE.equals(m.get("echo")));
    }

    private List<Step> steps(Path file, Node node, Set<Capability> needs, Set<String> marks, Set<String> metrics) {
        List<Step> steps = new ArrayList<>();
        for (Node item : list(file, node)) {
            steps.add(step(file, item, needs, marks, metrics));
        }
        if (steps.isEmpty()) {
            throw new ScenarioException(file, Yaml.line(node), "no steps");
        }
        return steps;
    }

    private Step step(Path file, Node item, Set<Capability> needs, Set<String> marks, Set<String> metrics) {
        int line = Yaml.line(item);
        String action;
        Object value = null;
        Map<String, Object> args = new LinkedHashMap<>();
        Node stepsNode = null;
        if (item instanceof ScalarNode s) {
            action = s.getValue();
        } else if (item instanceof MappingNode m && !m.getValue().isEmpty()) {
            NodeTuple first = m.getValue().get(0);
            action = Yaml.scalar(file, first.getKeyNode());
            value = toJava(file, first.getValueNode());
            for (NodeTuple t : m.getValue().subList(1, m.getValue().size())) {
                String k = Yaml.scalar(file, t.getKeyNode());
                if (k.equals("steps")) {
                    stepsNode = t.getValueNode();
                } else {
                    args.put(k, toJava(file, t.getValueNode()));
                }
            }
            // "set_pin: {pin: 2, value: 1}" puts the modifiers in the value
            if (value instanceof Map<?, ?> inner && !"where".equals(action)) {
                inner.forEach((k, v) -> args.putIfAbsent(String.valueOf(k), v));
                value = null;
            }
        } else {
            throw new ScenarioException(file, line, "a step is a name (like reset) or a mapping (like expect: connected)");
        }
        Spec spec = STEPS.get(action);
        if (spec == null) {
            throw new ScenarioException(file, line, "unknown step '" + action + "' (valid: " + String.join(", ", STEPS.keySet()) + ")");
        }
        for (String k : args.keySet()) {
            if (!spec.modifiers().contains(k)) {
                throw new ScenarioException(file, line, "step '" + action + "' has no '" + k + "'"
                        + (spec.modifiers().isEmpty() ? "" : " (it takes: " + String.join(", ", new TreeSet<>(spec.modifiers())) + ")"));
            }
        }
        if (spec.needs() != null && !needs.contains(spec.needs())) {
            throw new ScenarioException(file, line, "step '" + action + "' needs " + spec.needs().name().toLowerCase(Locale.ROOT)
                    + ": declare it under 'needs', so targets without it skip this scenario");
        }
        checkValue(file, line, action, spec, value, args, marks, metrics);
        for (String k : List.of("within", "for", "delay", "interval")) {
            if (args.containsKey(k) && Durations.parse(String.valueOf(args.get(k))) == null) {
                throw new ScenarioException(file, line, "'" + k + "' must be a duration like 500ms, 10s or 2m, not '" + args.get(k) + "'");
            }
        }
        if (args.containsKey("mark")) {
            marks.add(String.valueOf(args.get("mark")));
        }
        if (args.containsKey("save")) {
            if (!(args.get("save") instanceof Map<?, ?> save) || save.isEmpty()) {
                throw new ScenarioException(file, line, "'save' maps metric names to event fields, like {first_delay: delay}");
            }
            save.keySet().forEach(k -> metrics.add(String.valueOf(k)));
        }
        List<Step> nested = List.of();
        if (action.equals("repeat")) {
            if (stepsNode == null) {
                throw new ScenarioException(file, line, "'repeat' needs its own 'steps'");
            }
            nested = steps(file, stepsNode, needs, marks, metrics);
        } else if (stepsNode != null) {
            throw new ScenarioException(file, line, "only 'repeat' takes nested steps");
        }
        return new Step(action, value, java.util.Collections.unmodifiableMap(args), line, nested);
    }

    private void checkValue(Path file, int line, String action, Spec spec, Object value, Map<String, Object> args,
            Set<String> marks, Set<String> metrics) {
        String v = value == null ? null : String.valueOf(value);
        switch (spec.value()) {
            case "none" -> {
                if (value != null) {
                    throw new ScenarioException(file, line, "step '" + action + "' takes no value");
                }
                if (!action.equals("reset") && !action.equals("power_cycle")) {
                    requireInts(file, line, action, args, "pin", "value");
                }
            }
            case "event" -> {
                if (v == null || !profile.events().containsKey(v)) {
                    throw new ScenarioException(file, line, "unknown firmware event '" + v + "' (the profile " + profile.name() + " has: "
                            + String.join(", ", new TreeSet<>(profile.events().keySet())) + ")");
                }
                checkWhere(file, line, args);
            }
            case "regex" -> {
                if (v == null) {
                    throw new ScenarioException(file, line, "step '" + action + "' needs a regular expression");
                }
                FirmwareProfile.compile(file, line, v);
            }
            case "server_event" -> {
                try {
                    ServerEvent.Kind.of(String.valueOf(v));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new ScenarioException(file, line, "unknown server event '" + v + "' (valid: "
                            + Arrays.stream(ServerEvent.Kind.values()).map(ServerEvent.Kind::id).collect(Collectors.joining(", ")) + ")");
                }
                checkWhere(file, line, args);
            }
            case "send" -> {
                long kinds = Stream.of("text", "size", "binary", "raw").filter(args::containsKey).count();
                if (kinds != 1) {
                    throw new ScenarioException(file, line, "'send' takes exactly one of text, size, binary, raw");
                }
                if (args.containsKey("raw") && !String.valueOf(args.get("raw")).replace(" ", "").matches("([0-9a-fA-F]{2})+")) {
                    throw new ScenarioException(file, line, "'raw' must be hex bytes like \"8301ff\"");
                }
                if (args.containsKey("fragments") && !args.containsKey("text")) {
                    throw new ScenarioException(file, line, "'fragments' goes with 'text'");
                }
                requireInts(file, line, action, args, Stream.of("size", "binary", "fragments").filter(args::containsKey).toArray(String[]::new));
            }
            case "fault" -> {
                if (!FAULTS.contains(v)) {
                    throw new ScenarioException(file, line, "unknown server action '" + v + "' (valid: " + String.join(", ", FAULTS) + ")");
                }
                requireInts(file, line, action, args, Stream.of("code", "status").filter(args::containsKey).toArray(String[]::new));
                if ("close".equals(v) && !args.containsKey("code")) {
                    throw new ScenarioException(file, line, "'server: close' needs a 'code'");
                }
                if ("reject".equals(v) && !args.containsKey("status")) {
                    throw new ScenarioException(file, line, "'server: reject' needs a 'status' (an HTTP status, or 0 to accept again)");
                }
            }
            case "proxy" -> {
                if (!PROXY_FAULTS.contains(v)) {
                    throw new ScenarioException(file, line, "unknown proxy fault '" + v + "' (valid: " + String.join(", ", PROXY_FAULTS) + ")");
                }
                String needed = switch (v) {
                    case "latency" -> "delay";
                    case "bandwidth" -> "bytes_per_s";
                    case "cut_after" -> "bytes";
                    default -> null;
                };
                if (needed != null && !args.containsKey(needed)) {
                    throw new ScenarioException(file, line, "'proxy: " + v + "' needs '" + needed + "'");
                }
                requireInts(file, line, action, args, Stream.of("bytes_per_s", "bytes").filter(args::containsKey).toArray(String[]::new));
                if (args.containsKey("on") && !(args.get("on") instanceof Boolean)) {
                    throw new ScenarioException(file, line, "'on' is true or false");
                }
            }
            case "wifi" -> {
                if (!"up".equals(v) && !"down".equals(v)) {
                    throw new ScenarioException(file, line, "'wifi' is up or down, not '" + v + "'");
                }
            }
            case "string", "name" -> {
                if (v == null || v.isBlank()) {
                    throw new ScenarioException(file, line, "step '" + action + "' needs a value");
                }
                if (action.equals("measure")) {
                    for (String k : List.of("from", "to")) {
                        Object mark = args.get(k);
                        if (mark == null || !marks.contains(String.valueOf(mark))) {
                            throw new ScenarioException(file, line, "'measure' needs '" + k + "' naming a mark set earlier with mark: (known: "
                                    + (marks.isEmpty() ? "none" : String.join(", ", new TreeSet<>(marks))) + ")");
                        }
                    }
                    metrics.add(v);
                }
                if (action.equals("heap")) {
                    Object other = args.get("compare_to");
                    if (other != null && !metrics.contains(String.valueOf(other))) {
                        throw new ScenarioException(file, line, "'compare_to' names metric '" + other + "', which no earlier step makes");
                    }
                    metrics.add(v);
                    if (other != null) {
                        metrics.add(v + "_growth");
                    }
                }
                if (action.equals("assert")) {
                    if (!metrics.contains(v)) {
                        throw new ScenarioException(file, line, "'assert' names metric '" + v + "', which no earlier 'measure' makes");
                    }
                    if (!args.containsKey("min") && !args.containsKey("max")) {
                        throw new ScenarioException(file, line, "'assert' needs min, max or both");
                    }
                }
            }
            case "duration" -> {
                if (v == null || Durations.parse(v) == null) {
                    throw new ScenarioException(file, line, "'" + action + "' takes a duration like 500ms, 10s or 2m, not '" + v + "'");
                }
            }
            case "count" -> {
                if (!(value instanceof Long n) || n < 1) {
                    throw new ScenarioException(file, line, "'repeat' takes a positive whole number");
                }
            }
            default -> throw new IllegalStateException(spec.value());
        }
    }

    private static void checkWhere(Path file, int line, Map<String, Object> args) {
        Object where = args.get("where");
        if (where != null && !(where instanceof Map)) {
            throw new ScenarioException(file, line, "'where' is a mapping of field names to values, like {code: 1001}");
        }
    }

    private static void requireInts(Path file, int line, String action, Map<String, Object> args, String... keys) {
        for (String k : keys) {
            if (!(args.get(k) instanceof Long)) {
                throw new ScenarioException(file, line, "step '" + action + "' needs a whole number '" + k + "'");
            }
        }
    }

    private static String required(Path file, Map<String, Node> top, String key, Node root) {
        Node n = top.get(key);
        if (n == null) {
            throw new ScenarioException(file, Yaml.line(root), "missing '" + key + "'");
        }
        return Yaml.scalar(file, n);
    }

    private static List<Node> list(Path file, Node node) {
        if (!(node instanceof SequenceNode seq)) {
            throw new ScenarioException(file, Yaml.line(node), "expected a list here");
        }
        return seq.getValue();
    }

    private static Duration duration(Path file, Node node) {
        Duration d = Durations.parse(Yaml.scalar(file, node));
        if (d == null) {
            throw new ScenarioException(file, Yaml.line(node), "expected a duration like 500ms, 10s or 2m");
        }
        return d;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Path file, Node node) {
        Object v = toJava(file, node);
        if (!(v instanceof Map)) {
            throw new ScenarioException(file, Yaml.line(node), "expected a mapping here");
        }
        return (Map<String, Object>) v;
    }

    /** A node as plain Java values: String, Long, Double, Boolean, null, List, Map. */
    static Object toJava(Path file, Node node) {
        if (node instanceof ScalarNode s) {
            Tag tag = s.getTag();
            String v = s.getValue();
            if (Tag.INT.equals(tag)) {
                return Long.parseLong(v.replace("_", ""));
            }
            if (Tag.FLOAT.equals(tag)) {
                return Double.parseDouble(v);
            }
            if (Tag.BOOL.equals(tag)) {
                return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on");
            }
            if (Tag.NULL.equals(tag)) {
                return null;
            }
            return v;
        }
        if (node instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            for (Node n : seq.getValue()) {
                out.add(toJava(file, n));
            }
            return out;
        }
        MappingNode map = (MappingNode) node;
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            out.put(Yaml.scalar(file, t.getKeyNode()), toJava(file, t.getValueNode()));
        }
        return out;
    }
}
