package io.esp32hil.observe;

/** Something observed at a moment of the run's {@link Clock}. */
public interface Timed {
    long nanos();
}
