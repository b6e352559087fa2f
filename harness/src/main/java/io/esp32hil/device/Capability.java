package io.esp32hil.device;

/** What a target can do besides a serial console; scenarios declare what they need. */
public enum Capability {
    /** Wi-Fi down/up, access points, input pins and ADC values, reading output pins (the simulator's control channel). */
    BENCH_CONTROL,
    /** Cut and restore power. */
    POWER_CYCLE,
    /** Pull the EN (reset) line, so the board reboots and runs main.py. */
    HARDWARE_RESET,
    /**
     * A board's heap: garbage is collected while the firmware runs and MemoryError comes when it is
     * full (a board, Wokwi, the simulator's native engine; not its WebAssembly engine).
     */
    REAL_HEAP
}
