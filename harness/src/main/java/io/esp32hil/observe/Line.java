package io.esp32hil.observe;

/** A line of text a source printed (a board's serial line, a backend's log line) and when it arrived. */
public record Line(long nanos, String text) implements Timed {}
