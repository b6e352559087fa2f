package io.esp32hil.engine;

/** How a scenario ended; reports keep these apart. NOT_RUN: the run ended (or had not yet got there) before it finished. */
public enum Status {
    PASSED, FAILED, TIMED_OUT, SKIPPED, ERROR, NOT_RUN
}
