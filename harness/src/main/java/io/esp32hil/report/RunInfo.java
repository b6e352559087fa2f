package io.esp32hil.report;

import java.time.Instant;

/** What a report says about the run as a whole. */
public record RunInfo(String id, String target, Instant started, String command, boolean interrupted) {}
