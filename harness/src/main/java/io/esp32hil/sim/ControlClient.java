package io.esp32hil.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator's bench control channel (JSON lines on loopback): what a person at a bench does
 * with a board, as commands, and what the board does, as events, recorded from the moment the
 * client connects.
 */
public final class ControlClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final OutputStream out;
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Thread reader;

    private ControlClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.reader = new Thread(this::readLoop, "sim-control");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static ControlClient connect(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            return new ControlClient(socket);
        } catch (IOException e) {
            throw new SimulatorException("cannot reach the simulator's control channel on port " + port + ": " + e.getMessage(), e);
        }
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode node = JSON.readTree(line);
                if (node.has("event")) {
                    synchronized (events) {
                        events.add(node);
                    }
                } else if (node.hasNonNull("id")) {
                    CompletableFuture<JsonNode> reply = replies.remove(node.get("id").asInt());
                    if (reply != null) {
                        reply.complete(node);
                    }
                }
            }
        } catch (IOException e) {
            // the simulator went away; pending commands fail below
        } finally {
            SimulatorException gone = new SimulatorException("the simulator closed its control channel");
            replies.values().forEach(f -> f.completeExceptionally(gone));
        }
    }

    /** Sends a command and returns its reply; a refused command throws with the simulator's reason. */
    public JsonNode command(String cmd, Map<String, ?> args) {
        int id = nextId.getAndIncrement();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("cmd", cmd);
        args.forEach((k, v) -> msg.set(k, JSON.valueToTree(v)));
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        try {
            synchronized (out) {
                out.write((JSON.writeValueAsString(msg) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            JsonNode answer = reply.get(20, TimeUnit.SECONDS);
            if (!answer.path("ok").asBoolean()) {
                throw new SimulatorException("simulator refused '" + cmd + "': " + answer.path("error").asText());
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send '" + cmd + "' to the simulator", e);
        } catch (TimeoutException e) {
            throw new SimulatorException("the simulator did not answer '" + cmd + "' within 20 s");
        } catch (ExecutionException e) {
            throw new SimulatorException("'" + cmd + "' failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulatorException("interrupted while waiting for '" + cmd + "'");
        } finally {
            replies.remove(id);
        }
    }

    public JsonNode command(String cmd) {
        return command(cmd, Map.of());
    }

    public void powerCycle() {
        command("power_cycle");
    }

    public void pressReset() {
        command("reset");
    }

    /** Takes the access point away; {@code mode} is "silent" or "deauth" (see the simulator's README). */
    public void wifiDown(String mode) {
        command("wifi_down", Map.of("mode", mode));
    }

    public void wifiUp() {
        command("wifi_up");
    }

    /** Replaces the access points in range; {@code spec} is "SSID:PASSWORD,..." as for --wifi. */
    public void setAccessPoints(String spec) {
        command("set_aps", Map.of("spec", spec));
    }

    public void setPin(int pin, int value) {
        command("set_pin", Map.of("pin", pin, "value", value));
    }

    public void setAdc(int pin, int value16) {
        command("set_adc", Map.of("pin", pin, "value", value16));
    }

    public JsonNode pins() {
        return command("pins");
    }

    public JsonNode heap() {
        return command("heap").get("heap");
    }

    /** The heap read while the program runs (used, free, largest_free): the native engine only. */
    public JsonNode liveHeap() {
        return command("heap", Map.of("live", true)).get("heap");
    }

    /** A snapshot of the events recorded so far. */
    public List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
