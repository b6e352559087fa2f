package io.esp32hil.scenario;

import io.esp32hil.backend.BackendSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads backend files ({@code scenarios/backends/NAME.yaml}): which container image serves WebSocket
 * on which port and path, and how it takes server actions. Every error names the file and line.
 */
public final class BackendLoader {
    private static final Set<String> TOP = new TreeSet<>(List.of("name", "description", "image", "port", "path", "env", "command",
            "startup_timeout", "control"));
    private static final Duration DEFAULT_STARTUP = Duration.ofSeconds(60);

    private final Path dir;

    /** Backends in dir (the suite's scenarios/backends). */
    public BackendLoader(Path dir) {
        this.dir = dir;
    }

    /** The names of the backends this loader knows: the built-in one, then one per file. */
    public List<String> names() {
        List<String> names = new ArrayList<>(List.of(BackendSpec.BUILT_IN_NAME));
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(ScenarioLoader::isScenarioFile).map(f -> f.getFileName().toString().replaceFirst("\\.ya?ml$", "")).sorted()
                        .forEach(names::add);
            } catch (java.io.IOException e) {
                throw new ScenarioException(dir, 0, "cannot list backends: " + e.getMessage());
            }
        }
        return names;
    }

    /**
     * A backend by name (a file in the backends folder), a backend file by path, or one written out
     * as {@code image=NAME,port=N[,path=/ws][,name=x]} for a container with no control commands.
     */
    public BackendSpec resolve(String nameOrFile, Path whoAsked, int line) {
        if (nameOrFile.equals(BackendSpec.BUILT_IN_NAME)) {
            return BackendSpec.BUILT_IN;
        }
        if (nameOrFile.contains("=")) {
            return inline(nameOrFile, whoAsked, line);
        }
        Path file = nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml") ? Path.of(nameOrFile) : dir.resolve(nameOrFile + ".yaml");
        if (!Files.isRegularFile(file)) {
            throw new ScenarioException(whoAsked, line, "unknown backend '" + nameOrFile + "' (known: " + String.join(", ", names())
                    + "; a backend is a file in " + dir + ")");
        }
        return load(file);
    }

    public BackendSpec load(Path file) {
        Node root = Yaml.read(file, "the backend file");
        Map<String, Node> top = Yaml.keys(file, root, TOP, "a backend is a mapping with at least name, image and port");
        for (String k : List.of("name", "image", "port")) {
            if (!top.containsKey(k)) {
                throw new ScenarioException(file, Yaml.line(root), "missing '" + k + "'");
            }
        }
        String name = Yaml.scalar(file, top.get("name"));
        checkName(name, file, Yaml.line(top.get("name")));
        int port = port(file, top.get("port"));
        String path = top.containsKey("path") ? Yaml.scalar(file, top.get("path")) : "/";
        if (!path.matches("/?[!-~]*")) {
            throw new ScenarioException(file, Yaml.line(top.get("path")), "'path' is a URL path like /ws, without spaces, not '" + path + "'");
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (top.containsKey("env")) {
            Map<String, Object> given = map(file, top.get("env"));
            String problem = Values.flatMapping("{LOG_LEVEL: debug}").problem(given);
            if (problem != null) {
                throw new ScenarioException(file, Yaml.line(top.get("env")), "'env' " + problem);
            }
            given.forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        List<String> command = new ArrayList<>();
        if (top.containsKey("command")) {
            if (!(Yaml.toJava(file, top.get("command")) instanceof List<?> list)) {
                throw new ScenarioException(file, Yaml.line(top.get("command")), "'command' is a list of arguments, like [--port, \"8080\"]");
            }
            for (Object a : list) {
                if (a == null || a instanceof List || a instanceof Map) {
                    throw new ScenarioException(file, Yaml.line(top.get("command")), "'command' is a list of single arguments, not " + Values.shown(a));
                }
                command.add(String.valueOf(a));
            }
        }
        Duration startup = DEFAULT_STARTUP;
        if (top.containsKey("startup_timeout")) {
            startup = ScenarioLoader.duration(file, top.get("startup_timeout"), "startup_timeout");
        }
        int controlPort = 0;
        Map<String, String> commands = new LinkedHashMap<>();
        if (top.containsKey("control")) {
            Node controlNode = top.get("control");
            Map<String, Object> control = map(file, controlNode);
            for (String k : control.keySet()) {
                if (!k.equals("port") && !k.equals("commands")) {
                    throw new ScenarioException(file, Yaml.line(controlNode), "unknown control setting '" + k + "' (valid: commands, port)");
                }
            }
            if (!(control.get("port") instanceof Long p) || p < 1 || p > 65535) {
                throw new ScenarioException(file, Yaml.line(controlNode), "'control' needs a 'port' from 1 to 65535");
            }
            controlPort = p.intValue();
            if (!(control.get("commands") instanceof Map<?, ?> given) || given.isEmpty()) {
                throw new ScenarioException(file, Yaml.line(controlNode), "'control' needs 'commands': server actions (" + String.join(", ",
                        new TreeSet<>(BackendSpec.COMMANDS)) + ") mapped to the command line the server takes, like {close: \"/close {code} {reason}\"}");
            }
            for (Map.Entry<?, ?> e : given.entrySet()) {
                String action = String.valueOf(e.getKey());
                if (!BackendSpec.COMMANDS.contains(action)) {
                    throw new ScenarioException(file, Yaml.line(controlNode), "no server action '" + action + "' takes a command (valid: "
                            + String.join(", ", new TreeSet<>(BackendSpec.COMMANDS)) + ")");
                }
                if (!(e.getValue() instanceof String template) || template.isBlank()) {
                    throw new ScenarioException(file, Yaml.line(controlNode), "the command for '" + action + "' is a line of text, like \"/close {code} {reason}\", not "
                            + Values.shown(e.getValue()));
                }
                commands.put(action, template);
            }
        }
        String description = top.containsKey("description") ? Yaml.scalar(file, top.get("description")).strip() : "";
        return new BackendSpec(name, description, file, Yaml.scalar(file, top.get("image")), port, path.startsWith("/") ? path : "/" + path,
                Map.copyOf(env), List.copyOf(command), startup, controlPort, Map.copyOf(commands));
    }

    private static BackendSpec inline(String text, Path whoAsked, int line) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq).strip();
            if (eq < 0 || !Set.of("image", "port", "path", "name").contains(key)) {
                throw new ScenarioException(whoAsked, line, "a backend written out is image=NAME,port=N[,path=/ws][,name=x], not '" + part + "' in '" + text + "'");
            }
            parts.put(key, part.substring(eq + 1).strip());
        }
        if (!parts.containsKey("image") || !parts.containsKey("port")) {
            throw new ScenarioException(whoAsked, line, "a backend written out needs image= and port=, like image=acme/gateway:2,port=8080,path=/ws");
        }
        int port;
        try {
            port = Integer.parseInt(parts.get("port"));
        } catch (NumberFormatException e) {
            port = 0;
        }
        if (port < 1 || port > 65535) {
            throw new ScenarioException(whoAsked, line, "port= is the container's WebSocket port, a number from 1 to 65535, not '" + parts.get("port") + "'");
        }
        String path = parts.getOrDefault("path", "/");
        String image = parts.get("image");
        String derived = image.replaceAll(".*/", "").replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        String name = parts.getOrDefault("name", derived.isEmpty() ? "image" : derived.substring(0, Math.min(derived.length(), SafeName.MAX_LENGTH)));
        checkName(name, whoAsked, line);
        return new BackendSpec(name, "", null, image, port, path.startsWith("/") ? path : "/" + path, Map.of(), List.of(), DEFAULT_STARTUP, 0, Map.of());
    }

    /** A backend's name names its scenarios' report folders ({@code name@backend}), so it must be a safe name. */
    private static void checkName(String name, Path file, int line) {
        String unsafe = SafeName.problem("a backend's name", name);
        if (unsafe != null || name.equals(BackendSpec.BUILT_IN_NAME)) {
            throw new ScenarioException(file, line, unsafe != null ? unsafe : "a backend cannot be named '" + BackendSpec.BUILT_IN_NAME + "' (the built-in server)");
        }
    }

    private static int port(Path file, Node node) {
        Object v = Yaml.toJava(file, node);
        if (!(v instanceof Long p) || p < 1 || p > 65535) {
            throw new ScenarioException(file, Yaml.line(node), "'port' is the container's WebSocket port, a number from 1 to 65535, not '" + v + "'");
        }
        return p.intValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Path file, Node node) {
        if (!(Yaml.toJava(file, node) instanceof Map<?, ?> m)) {
            throw new ScenarioException(file, Yaml.line(node), "expected a mapping here");
        }
        return (Map<String, Object>) m;
    }
}
