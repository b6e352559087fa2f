package io.esp32hil.firmware;

/** What a firmware test started, stopped in the order given (the board before its servers); what was not started is null. */
final class Teardown {
    private Teardown() {}

    static void close(AutoCloseable... started) throws Exception {
        for (AutoCloseable c : started) {
            if (c != null) {
                c.close();
            }
        }
    }
}
