package io.esp32hil.scenario;

import io.esp32hil.device.Capability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scenario file, checked: everything in it is known and well-formed. {@code app} is a file of the
 * firmware folder deployed as main.py instead of the firmware's own (e.g. examples/advanced_example.py).
 * {@code backend} names the server the scenario must run against (null: whichever the run chooses).
 */
public record Scenario(
        String name,
        String description,
        Path file,
        List<String> tags,
        Set<Capability> needs,
        Duration timeout,
        Map<String, Object> config,
        Map<String, Boolean> tripwires,
        ServerSetup server,
        String app,
        String backend,
        List<Step> steps) {

    /**
     * What the scenario asks of its server beyond serving WebSocket: {@code expect_server} (the
     * built-in server's event log), {@code send}, {@code send:size} and the like, each server action by
     * name, and the server settings {@code tls}, {@code subprotocols} and {@code echo: false}. The
     * built-in server does them all; a container backend only the actions its control commands map.
     */
    public java.util.Set<String> serverFeatures() {
        java.util.Set<String> features = new java.util.TreeSet<>();
        collect(steps, features);
        // the built-in server's own set-up: a container serves as its image was built
        if (server.tls()) {
            features.add("tls");
        }
        if (!server.subprotocols().isEmpty()) {
            features.add("subprotocols");
        }
        if (!server.echo()) {
            features.add("echo: false");
        }
        return features;
    }

    private static void collect(List<Step> steps, java.util.Set<String> into) {
        for (Step s : steps) {
            into.addAll(s.kind().serverFeatures(s));
            collect(s.steps(), into);
        }
    }

    /** True when a step needs the fault proxy, so the run puts it in front of the server. */
    public boolean usesProxy() {
        return usesProxy(steps);
    }

    private static boolean usesProxy(List<Step> steps) {
        return steps.stream().anyMatch(s -> s.kind().usesProxy() || usesProxy(s.steps()));
    }

    /** How the test server starts for this scenario. */
    public record ServerSetup(boolean tls, String path, List<String> subprotocols, boolean echo) {
        public static final ServerSetup DEFAULT = new ServerSetup(false, "/ws", List.of(), true);
    }
}
