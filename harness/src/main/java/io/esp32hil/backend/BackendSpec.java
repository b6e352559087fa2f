package io.esp32hil.backend;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which WebSocket server a scenario runs against: the harness's built-in Java server ({@link #BUILT_IN}),
 * or a container image listening on {@code port} and serving WebSocket on {@code path}. A container
 * may take the server actions scenarios use ({@code close}, {@code drop}, {@code ping}, {@code send})
 * as text commands on a control port: each template's {@code {name}} is filled from the step.
 */
public record BackendSpec(
        String name,
        String description,
        Path file,
        String image,
        int port,
        String path,
        Map<String, String> env,
        List<String> command,
        Duration startupTimeout,
        int controlPort,
        Map<String, String> commands) {

    public static final String BUILT_IN_NAME = "java";
    public static final BackendSpec BUILT_IN = new BackendSpec(BUILT_IN_NAME, "the harness's built-in Java-WebSocket test server",
            null, null, 0, "/ws", Map.of(), List.of(), Duration.ZERO, 0, Map.of());

    /** Server actions a container backend can be asked for through its control port. */
    public static final Set<String> COMMANDS = Set.of("close", "drop", "ping", "send");

    public boolean builtIn() {
        return image == null;
    }
}
