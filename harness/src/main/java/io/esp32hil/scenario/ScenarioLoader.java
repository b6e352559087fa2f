package io.esp32hil.scenario;

import io.esp32hil.device.Capability;
import io.esp32hil.device.WifiLoss;
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
import java.util.regex.Pattern;
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
        STEPS.put("wifi", new Spec("wifi", Set.of("mode", "mark"), Capability.BENCH_CONTROL));
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

    private static final long MAX_REPEAT = 100_000;
    private static final long MAX_MESSAGE = 16L << 20;
    /** What each modifier holds; what depends on the step (its event's fields, marks set earlier) is checked with the step. */
    private static final Map<String, Values.Check> MODIFIERS = Map.ofEntries(
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
    /** An ADC reading as the board model takes it: 16 bits, as read_u16() returns. */
    private static final Values.Check ADC_VALUE = Values.whole(0, 65535);

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
        return top.containsKey("config") ? settings(file, ((MappingNode) root).getValue().get(0).getValueNode()) : Map.of();
    }

    public static List<String> stepNames() {
        return List.copyOf(STEPS.keySet());
    }

    /** Every *.yaml / *.yml file under the paths (files or folders), sorted; defaults.yaml is not a scenario. */
    public List<Scenario> loadAll(List<Path> paths) {
        List<Scenario> all = new ArrayList<>();
        List<ScenarioException> problems = new ArrayList<>();
        for (Path p : paths) {
            List<Path> files = List.of(p);
            if (Files.isDirectory(p)) {
                try (Stream<Path> found = Files.walk(p)) {
                    files = found.filter(f -> isScenarioFile(f) && !p.relativize(f).startsWith(BACKENDS_DIR)).sorted().toList();
                } catch (IOException e) {
                    problems.add(new ScenarioException(p, 0, "cannot list scenarios: " + FileErrors.plain(e)));
                    continue;
                } catch (java.io.UncheckedIOException e) { // a folder below that cannot be read
                    problems.add(new ScenarioException(p, 0, "cannot list scenarios: " + FileErrors.plain(e.getCause())));
                    continue;
                }
            } else if (!Files.exists(p)) {
                problems.add(new ScenarioException(p, 0, "no such scenario file or folder"));
                continue;
            }
            for (Path f : files) {
                try {
                    all.add(load(f));
                } catch (ScenarioException e) {
                    problems.add(e);
                }
            }
        }
        Map<String, Path> names = new java.util.HashMap<>();
        for (Scenario s : all) {
            Path other = names.putIfAbsent(s.name(), s.file());
            if (other != null) {
                problems.add(new ScenarioException(s.file(), 1, "another scenario is also named '" + s.name() + "' (" + other + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw problems.size() == 1 ? problems.get(0) : new ScenarioException(problems);
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
        Duration timeout = top.containsKey("timeout") ? duration(file, top.get("timeout"), "timeout") : DEFAULT_TIMEOUT;
        Map<String, Object> config = top.containsKey("config") ? settings(file, top.get("config")) : Map.of();
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
        for (String tag : tags) {
            if (!tag.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                throw new ScenarioException(file, Yaml.line(top.get("tags")), "a tag is a word of letters, digits, '_', '.' or '-', not '" + tag + "'");
            }
        }
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
        int line = Yaml.line(node);
        for (String k : m.keySet()) {
            if (!Set.of("tls", "path", "subprotocols", "echo").contains(k)) {
                throw new ScenarioException(file, line, "unknown server setting '" + k + "' (valid: echo, path, subprotocols, tls)");
            }
        }
        for (String k : List.of("tls", "echo")) {
            if (m.containsKey(k) && !(m.get(k) instanceof Boolean)) {
                throw new ScenarioException(file, line, "server setting '" + k + "' " + Values.bool().problem(m.get(k)));
            }
        }
        Object path = m.getOrDefault("path", "/ws");
        if (!(path instanceof String p) || !p.matches("/[!-~]*")) {
            throw new ScenarioException(file, line, "server setting 'path' is a URL path starting with '/', like /ws, not " + Values.shown(path));
        }
        List<String> protocols = new ArrayList<>();
        if (m.containsKey("subprotocols")) {
            if (!(m.get("subprotocols") instanceof List<?> given)) {
                throw new ScenarioException(file, line, "server setting 'subprotocols' is a list of names, like [chat.v1]");
            }
            for (Object o : given) {
                if (!(o instanceof String name) || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                    throw new ScenarioException(file, line, "a subprotocol is a word without spaces or separators, not " + Values.shown(o));
                }
                protocols.add(name);
            }
        }
        return new Scenario.ServerSetup(Boolean.TRUE.equals(m.get("tls")), (String) path, List.copyOf(protocols), !Boolean.FALSE.equals(m.get("echo")));
    }

    /**
     * Firmware settings for config.py (a scenario's {@code config:}, or defaults.yaml's): UPPER_CASE
     * names, each a single value, a list of single values, or a mapping of single values (WS_HEADERS).
     */
    static Map<String, Object> settings(Path file, Node node) {
        if (!(node instanceof MappingNode map)) {
            throw new ScenarioException(file, Yaml.line(node), "'config' is a mapping of firmware settings, like {PING_INTERVAL_MS: 2000}");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = Yaml.scalar(file, t.getKeyNode());
            int line = Yaml.line(t.getKeyNode());
            if (!key.matches("[A-Z][A-Z0-9_]*")) {
                throw new ScenarioException(file, line, "config keys are firmware settings in UPPER_CASE, not '" + key + "'");
            }
            Object v = toJava(file, t.getValueNode());
            boolean nested = v instanceof List<?> l ? l.stream().anyMatch(o -> o instanceof List || o instanceof Map)
                    : v instanceof Map<?, ?> m && m.values().stream().anyMatch(o -> o instanceof List || o instanceof Map);
            if (nested) {
                throw new ScenarioException(file, line, "setting " + key + " is a single value, a list of single values or a mapping of them"
                        + " (like WS_HEADERS: {X-Device-Id: bench-01}); this one nests deeper");
            }
            out.put(key, v);
        }
        return out;
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
            Values.Check check = action.equals("set_adc") && k.equals("value") ? ADC_VALUE : MODIFIERS.get(k);
            String problem = check == null ? null : check.problem(args.get(k));
            if (problem != null) {
                throw new ScenarioException(file, line, "step '" + action + "': '" + k + "' " + problem);
            }
        }
        if (spec.needs() != null && !needs.contains(spec.needs())) {
            throw new ScenarioException(file, line, "step '" + action + "' needs " + spec.needs().name().toLowerCase(Locale.ROOT)
                    + ": declare it under 'needs', so targets without it skip this scenario");
        }
        checkValue(file, line, action, spec, value, args, marks, metrics);
        if (args.containsKey("mark")) {
            marks.add(String.valueOf(args.get("mark")));
        }
        if (args.containsKey("save")) {
            if (!(args.get("save") instanceof Map<?, ?> save) || save.isEmpty()) {
                throw new ScenarioException(file, line, "'save' maps metric names to event fields, like {first_delay: delay}");
            }
            List<String> fields = profile.fields(String.valueOf(value));
            for (Map.Entry<?, ?> e : save.entrySet()) {
                if (Values.name().problem(String.valueOf(e.getKey())) != null || !fields.contains(String.valueOf(e.getValue()))) {
                    throw new ScenarioException(file, line, "'save' maps a metric name to a field of event '" + value + "' (" + fieldList(fields)
                            + "), not " + e.getKey() + ": " + e.getValue());
                }
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
                for (String k : action.equals("reset") || action.equals("power_cycle") ? List.<String>of() : List.of("pin", "value")) {
                    if (!args.containsKey(k)) {
                        throw new ScenarioException(file, line, "step '" + action + "' needs a whole number '" + k + "'");
                    }
                }
            }
            case "event" -> {
                if (v == null || !profile.events().containsKey(v)) {
                    throw new ScenarioException(file, line, "unknown firmware event '" + v + "' (the profile " + profile.name() + " has: "
                            + String.join(", ", new TreeSet<>(profile.events().keySet())) + ")");
                }
                checkWhere(file, line, args, "event '" + v + "'", profile.fields(v));
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
                checkWhere(file, line, args, "server event '" + v + "'", ServerEvent.Kind.of(v).fields());
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
                if (args.get("fragments") instanceof Long n && n > Math.max(1, String.valueOf(args.get("text")).getBytes(java.nio.charset.StandardCharsets.UTF_8).length)) {
                    throw new ScenarioException(file, line, "'fragments' is at most the text's length in bytes, not " + n);
                }
            }
            case "fault" -> {
                if (!FAULTS.contains(v)) {
                    throw new ScenarioException(file, line, "unknown server action '" + v + "' (valid: " + String.join(", ", FAULTS) + ")");
                }
                if ("close".equals(v) && !args.containsKey("code")) {
                    throw new ScenarioException(file, line, "'server: close' needs a 'code'");
                }
                if ("reject".equals(v) && !args.containsKey("status")) {
                    throw new ScenarioException(file, line, "'server: reject' needs a 'status' (an HTTP status, or 0 to accept again)");
                }
                if (args.get("status") instanceof Long st && st != 0 && (st < 300 || st > 599)) {
                    throw new ScenarioException(file, line, "'status' is an HTTP status that refuses the upgrade (300-599), or 0 to accept again, not " + st);
                }
                if ("periodic".equals(v) && args.containsKey("text")) {
                    try {
                        String.format(Locale.ROOT, String.valueOf(args.get("text")), 1L);
                    } catch (java.util.IllegalFormatException e) {
                        throw new ScenarioException(file, line, "'text' of 'server: periodic' is the message with %d for its number, like {\"seq\": %d}; "
                                + "this one is not a template (" + e.getMessage() + "; write %% for a percent sign)");
                    }
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
                    metrics.addAll(List.of(v, v + "_free", v + "_largest_free"));
                    if (other != null) {
                        metrics.add(v + "_growth");
                        if (metrics.contains(other + "_largest_free")) { // compare_to names another heap step
                            metrics.add(v + "_largest_free_loss");
                        }
                    }
                }
                if (action.equals("assert")) {
                    if (!metrics.contains(v)) {
                        throw new ScenarioException(file, line, "'assert' names metric '" + v + "', which no earlier 'measure' makes");
                    }
                    if (!args.containsKey("min") && !args.containsKey("max")) {
                        throw new ScenarioException(file, line, "'assert' needs min, max or both");
                    }
                    if (args.get("min") instanceof Number lo && args.get("max") instanceof Number hi && lo.doubleValue() > hi.doubleValue()) {
                        throw new ScenarioException(file, line, "'assert' has min " + lo + " above max " + hi);
                    }
                }
            }
            case "duration" -> {
                String problem = Values.duration(false).problem(value);
                if (problem != null) {
                    throw new ScenarioException(file, line, "'" + action + "' " + problem);
                }
            }
            case "count" -> {
                if (!(value instanceof Long n) || n < 1 || n > MAX_REPEAT) {
                    throw new ScenarioException(file, line, "'repeat' takes a whole number from 1 to " + MAX_REPEAT + ", not " + Values.shown(value));
                }
            }
            default -> throw new IllegalStateException(spec.value());
        }
    }

    /** {@code where:} compares fields the event has, each with a value or a ~regular expression. */
    private static void checkWhere(Path file, int line, Map<String, Object> args, String what, List<String> fields) {
        Object where = args.get("where");
        if (where == null) {
            return;
        }
        if (!(where instanceof Map<?, ?> m) || Values.flatMapping("{code: 1001}").problem(where) != null) {
            throw new ScenarioException(file, line, "'where' is a mapping of field names to values, like {code: 1001}");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!fields.contains(String.valueOf(e.getKey()))) {
                throw new ScenarioException(file, line, "'where' names field '" + e.getKey() + "', which " + what + " does not have (" + fieldList(fields) + ")");
            }
            String want = String.valueOf(e.getValue());
            if (want.startsWith("~")) {
                FirmwareProfile.compile(file, line, want.substring(1));
            }
        }
    }

    private static String fieldList(List<String> fields) {
        return fields.isEmpty() ? "it has no fields" : "it has: " + String.join(", ", fields);
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

    /** A top-level duration (a scenario's timeout, a backend's startup_timeout): longer than 0, at most a day. */
    static Duration duration(Path file, Node node, String key) {
        String problem = Values.duration(false).problem(toJava(file, node));
        if (problem != null) {
            throw new ScenarioException(file, Yaml.line(node), "'" + key + "' " + problem);
        }
        return Durations.parse(Yaml.scalar(file, node));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Path file, Node node) {
        Object v = toJava(file, node);
        if (!(v instanceof Map)) {
            throw new ScenarioException(file, Yaml.line(node), "expected a mapping here");
        }
        return (Map<String, Object>) v;
    }

    private static final Pattern WHOLE = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?");

    /**
     * A node as plain Java values: String, Long, Double, Boolean, null, List, Map. Numbers are read
     * only as they are commonly written (decimal, finite, within a long): YAML 1.1's hexadecimal,
     * octal, base-60 and infinite numbers are refused with the line, never guessed at.
     */
    static Object toJava(Path file, Node node) {
        if (node instanceof ScalarNode s) {
            Tag tag = s.getTag();
            String v = s.getValue();
            if (Tag.INT.equals(tag)) {
                String digits = v.replace("_", "");
                if (!WHOLE.matcher(digits).matches()) {
                    throw new ScenarioException(file, Yaml.line(s), "'" + v + "' is not a number this harness reads: write whole numbers in decimal, like 16"
                            + " (quote it if it is text)");
                }
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    throw new ScenarioException(file, Yaml.line(s), "'" + v + "' is too large a number (at most " + Long.MAX_VALUE + ")");
                }
            }
            if (Tag.FLOAT.equals(tag)) {
                double d = DECIMAL.matcher(v.replace("_", "")).matches() ? Double.parseDouble(v.replace("_", "")) : Double.NaN;
                if (!Double.isFinite(d)) {
                    throw new ScenarioException(file, Yaml.line(s), "'" + v + "' is not a finite decimal number (like 0.5 or 2e3)");
                }
                return d;
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
