package io.esp32hil.device;

/**
 * The firmware's heap read while it runs, after a real collection, in bytes: what it keeps, what is
 * free, and the largest block it could still get in one piece (less than {@code free} once the heap
 * is fragmented).
 */
public record HeapReading(long used, long free, long largestFree) {}
