package io.esp32hil.cli;

import io.esp32hil.deploy.Deployer;
import io.esp32hil.rig.Rig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "deploy", mixinStandardHelpOptions = true, description = "Put the firmware on a board (only files that changed), with a config.py for a server URL, then restart it.")
final class DeployCommand implements Callable<Integer> {
    @CommandLine.Mixin
    BenchOptions bench = new BenchOptions();

    @Option(names = "--url", required = true, description = "the WebSocket server the board connects to, e.g. ws://192.168.1.20:8080/")
    String url;

    @Override
    public Integer call() throws Exception {
        checkUrl(url);
        Suite suite = Suite.locate();
        Rig rig = Rig.builder().board(bench.open(suite, "deploy")).externalServer(url)
                .firmware(suite.profile().layout(), suite.home().resolve("firmware"), Map.of(), Map.of(), null).build();
        try (rig) {
            Deployer.Result r = rig.start().deployment().orElseThrow();
            System.out.println("hil: wrote " + (r.written().isEmpty() ? "nothing" : String.join(", ", r.written())) + "; unchanged: "
                    + (r.unchanged().isEmpty() ? "none" : String.join(", ", r.unchanged())) + "; restarted by " + r.reset().description());
        }
        return Hil.PASSED;
    }

    /** The firmware takes ws:// and wss:// URLs with a host; anything else would only fail on the board. */
    static void checkUrl(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) || uri.getHost() == null || uri.getUserInfo() != null) {
            throw new UsageException("--url '" + io.esp32hil.secrets.Secrets.redactQueries(url)
                    + "' is not a WebSocket URL the firmware takes: ws:// or wss://, a host, no user:password@ (like ws://192.168.1.20:8080/)");
        }
    }
}
