package io.esp32hil.device;

/** How a board was restarted, said in logs and reports so a reader knows what really happened. */
public enum ResetMethod {
    HARDWARE_LINE("EN line (hardware reset)"),
    POWER_CYCLE("power cycle"),
    SOFT_RESET("soft reset through the REPL (machine.reset())");

    private final String description;

    ResetMethod(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
