package io.esp32hil.repl;

/** What one raw-REPL exec printed, split as the protocol splits it. */
public record ExecResult(String stdout, String stderr) {
    public boolean failed() {
        return !stderr.isEmpty();
    }
}
