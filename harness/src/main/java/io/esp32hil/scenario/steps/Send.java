package io.esp32hil.scenario.steps;

import io.esp32hil.scenario.Step;
import io.esp32hil.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** {@code send: {text | size | binary | raw}}: the server sends a message to the board. */
final class Send extends StepKind {
    Send() {
        super("send: {text: ...}", null, "text", "size", "binary", "raw", "fragments", "mark");
    }

    @Override
    public void check(Step step, Scope scope) {
        Map<String, Object> args = step.args();
        if (Stream.of("text", "size", "binary", "raw").filter(args::containsKey).count() != 1) {
            throw scope.error(step, "'send' takes exactly one of text, size, binary, raw");
        }
        if (args.containsKey("raw") && !step.text("raw").replace(" ", "").matches("([0-9a-fA-F]{2})+")) {
            throw scope.error(step, "'raw' must be hex bytes like \"8301ff\"");
        }
        if (args.containsKey("fragments") && !args.containsKey("text")) {
            throw scope.error(step, "'fragments' goes with 'text'");
        }
        if (args.get("fragments") instanceof Long n && n > Math.max(1, step.text("text").getBytes(StandardCharsets.UTF_8).length)) {
            throw scope.error(step, "'fragments' is at most the text's length in bytes, not " + n);
        }
    }

    /** {@code send} for a whole text message (what a backend's control port takes), else {@code send:} with the kind of message. */
    @Override
    public Set<String> serverFeatures(Step step) {
        return Set.of(step.args().containsKey("text") && !step.args().containsKey("fragments") ? "send"
                : "send:" + step.args().keySet().stream().filter(k -> !k.equals("mark")).sorted().findFirst().orElse("?"));
    }

    @Override
    public void run(Step step, StepContext run) {
        if (run.backend().testServer().isEmpty()) {
            run.note("backend command: " + run.backend().command("send", Map.of("text", run.substitute(step.text("text")))));
            return;
        }
        TestServer server = run.backend().testServer().get();
        if (step.args().containsKey("text")) {
            String text = run.substitute(step.text("text"));
            if (step.args().containsKey("fragments")) {
                server.sendFragmented(text, step.integer("fragments", 2));
            } else {
                server.sendText(text);
            }
        } else if (step.args().containsKey("size")) {
            server.sendOfSize(step.integer("size", 0));
        } else if (step.args().containsKey("binary")) {
            byte[] data = new byte[step.integer("binary", 0)];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) i;
            }
            server.sendBinary(data);
        } else {
            server.sendRaw(HexFormat.of().parseHex(step.text("raw").replace(" ", "")));
        }
    }
}
