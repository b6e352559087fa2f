package io.esp32hil.scenario;

import io.esp32hil.device.Capability;
import io.esp32hil.scenario.steps.Scope;
import io.esp32hil.scenario.steps.StepKind;
import io.esp32hil.scenario.steps.Steps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
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

/**
 * Reads scenario files and checks everything before anything runs: unknown keys and steps (listing
 * the valid ones), unknown firmware events, bad regular expressions, bad durations, steps that need
 * a capability the scenario does not declare. Every error names the file and line.
 */
public final class ScenarioLoader {
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
        Scenario.ServerSetup server = top.containsKey("server") ? ServerSettings.read(file, top.get("server")) : Scenario.ServerSetup.DEFAULT;
        Node stepsNode = top.get("steps");
        if (stepsNode == null) {
            throw new ScenarioException(file, Yaml.line(root), "missing 'steps'");
        }
        List<Step> steps = steps(file, stepsNode, needs, new Scope(file, profile));
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
            Object v = Yaml.toJava(file, t.getValueNode());
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

    private List<Step> steps(Path file, Node node, Set<Capability> needs, Scope scope) {
        List<Step> steps = new ArrayList<>();
        for (Node item : list(file, node)) {
            steps.add(step(file, item, needs, scope));
        }
        if (steps.isEmpty()) {
            throw new ScenarioException(file, Yaml.line(node), "no steps");
        }
        return steps;
    }

    /** One step, checked in the order a reader fixes it: its name, its modifiers, what it needs, its value, its nested steps. */
    private Step step(Path file, Node item, Set<Capability> needs, Scope scope) {
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
            value = Yaml.toJava(file, first.getValueNode());
            for (NodeTuple t : m.getValue().subList(1, m.getValue().size())) {
                String k = Yaml.scalar(file, t.getKeyNode());
                if (k.equals("steps")) {
                    stepsNode = t.getValueNode();
                } else {
                    args.put(k, Yaml.toJava(file, t.getValueNode()));
                }
            }
            // "set_pin: {pin: 2, value: 1}" puts the modifiers in the value
            if (value instanceof Map<?, ?> inner) {
                inner.forEach((k, v) -> args.putIfAbsent(String.valueOf(k), v));
                value = null;
            }
        } else {
            throw new ScenarioException(file, line, "a step is a name (like reset) or a mapping (like expect: connected)");
        }
        StepKind kind = Steps.named(action).orElseThrow(() -> new ScenarioException(file, line, "unknown step '" + action + "' (valid: "
                + String.join(", ", Steps.names()) + ")"));
        for (String k : args.keySet()) {
            if (!kind.modifiers().contains(k)) {
                throw new ScenarioException(file, line, "step '" + action + "' has no '" + k + "'"
                        + (kind.modifiers().isEmpty() ? "" : " (it takes: " + String.join(", ", kind.modifiers()) + ")"));
            }
            String problem = kind.modifierCheck(k).problem(args.get(k));
            if (problem != null) {
                throw new ScenarioException(file, line, "step '" + action + "': '" + k + "' " + problem);
            }
        }
        if (kind.needs() != null && !needs.contains(kind.needs())) {
            throw new ScenarioException(file, line, "step '" + action + "' needs " + kind.needs().name().toLowerCase(Locale.ROOT)
                    + ": declare it under 'needs', so targets without it skip this scenario");
        }
        Step step = new Step(action, value, java.util.Collections.unmodifiableMap(args), line, List.of());
        kind.check(step, scope);
        if (args.containsKey("mark")) {
            scope.addMark(String.valueOf(args.get("mark")));
        }
        if (!kind.takesSteps()) {
            if (stepsNode != null) {
                throw new ScenarioException(file, line, "only 'repeat' takes nested steps");
            }
            return step;
        }
        if (stepsNode == null) {
            throw new ScenarioException(file, line, "'" + action + "' needs its own 'steps'");
        }
        return new Step(action, value, step.args(), line, steps(file, stepsNode, needs, scope));
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
        String problem = Values.duration(false).problem(Yaml.toJava(file, node));
        if (problem != null) {
            throw new ScenarioException(file, Yaml.line(node), "'" + key + "' " + problem);
        }
        return Durations.parse(Yaml.scalar(file, node));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Path file, Node node) {
        Object v = Yaml.toJava(file, node);
        if (!(v instanceof Map)) {
            throw new ScenarioException(file, Yaml.line(node), "expected a mapping here");
        }
        return (Map<String, Object>) v;
    }
}
