package io.esp32hil.cli;

import io.esp32hil.server.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, description = {"Run the test server alone, for developing against a board by hand.",
        "Type a line to send it; commands: /close CODE [REASON], /drop, /stop, /restart, /ping, /reject STATUS, /blackhole on|off, /quit."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "0.0.0.0", description = "interface to listen on (default: all)")
    String host;

    @Option(names = "--port", defaultValue = "8080")
    int port;

    @Option(names = "--path", defaultValue = "/")
    String path;

    @Option(names = "--tls", description = "serve wss:// with a certificate made for this run")
    boolean tls;

    @Option(names = "--interval", defaultValue = "0", description = "seconds between test messages (0: none)")
    int interval;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port " + port + " is not a TCP port (0 to 65535; 0 picks a free one)");
        }
        if (interval < 0) {
            throw new UsageException("--interval " + interval + " is seconds between test messages, 0 or more");
        }
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ')) {
            throw new UsageException("--path '" + path + "' is a URL path like /ws, starting with '/' and without spaces");
        }
        Path logs = Suite.locate().reportsDir().resolve("serve");
        try (TestServer server = TestServer.builder().host(host).port(port).path(path).tls(tls).logDir(logs).start()) {
            server.log().onEvent(e -> System.out.println(e.describe()));
            System.out.println("hil: test server on " + server.url() + " (log: " + server.log().path() + ")");
            if (tls) {
                System.out.println("hil: certificate SHA-256 for TLS_FINGERPRINT: " + server.certificate().sha256());
            }
            if (interval > 0) {
                server.startPeriodic(Duration.ofSeconds(interval), "{\"type\": \"test\", \"seq\": %d}");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (!command(server, line.strip())) {
                    return Hil.PASSED;
                }
            }
            // No terminal (nohup, systemd, a container without -i): serve until a signal ends the JVM.
            System.err.println("hil: no more commands on standard input; serving until Ctrl-C or SIGTERM");
            new java.util.concurrent.CountDownLatch(1).await();
        }
        return Hil.PASSED;
    }

    private static boolean command(TestServer server, String line) {
        String[] w = line.split(" ", 3);
        try {
            switch (w[0]) {
                case "/quit" -> {
                    return false;
                }
                case "/close" -> server.closeAll(Integer.parseInt(w[1]), w.length > 2 ? w[2] : "");
                case "/drop" -> server.dropAll();
                case "/stop" -> server.stop(true);
                case "/restart" -> server.restart();
                case "/ping" -> server.ping(w.length > 1 ? w[1] : "");
                case "/reject" -> server.rejectHandshakes(Integer.parseInt(w[1]));
                case "/blackhole" -> server.blackhole(w.length > 1 && w[1].equals("on"));
                default -> {
                    if (line.startsWith("/")) {
                        System.out.println("hil: unknown command " + w[0]);
                    } else if (!line.isEmpty()) {
                        server.sendText(line);
                    }
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            System.out.println("hil: " + w[0] + " needs a number, e.g. /close 1001 bye");
        }
        return true;
    }
}
