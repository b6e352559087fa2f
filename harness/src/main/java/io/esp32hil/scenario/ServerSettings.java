package io.esp32hil.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/** A scenario's {@code server:}: how the built-in test server starts for it (TLS, its path, subprotocols, echo). */
final class ServerSettings {
    private ServerSettings() {}

    static Scenario.ServerSetup read(Path file, Node node) {
        Map<String, Object> m = ScenarioLoader.asMap(file, node);
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
}
