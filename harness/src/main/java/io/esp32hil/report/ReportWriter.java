package io.esp32hil.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.esp32hil.engine.ScenarioResult;
import io.esp32hil.engine.Status;
import io.esp32hil.engine.Timeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run's report folder: results.json for machines, junit.xml for CI, metrics.csv for
 * charts across runs, and report.html for people. Safe to call again as results come in, so a run
 * cut short still leaves a report.
 */
public final class ReportWriter {
    private final Path dir;

    public ReportWriter(Path reportsRoot, String runId) {
        this.dir = reportsRoot.resolve(runId);
    }

    public Path dir() {
        return dir;
    }

    public Path html() {
        return dir.resolve("report.html");
    }

    public synchronized void write(RunInfo run, List<ScenarioResult> results) {
        try {
            Files.createDirectories(dir);
            atomically(dir.resolve("results.json"), json(run, results));
            atomically(dir.resolve("junit.xml"), JUnitXml.render(run, results));
            atomically(dir.resolve("metrics.csv"), metricsCsv(run, results));
            atomically(html(), HtmlReport.render(run, results, dir));
            pointLatest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report in " + dir, e);
        }
    }

    public static Map<Status, Integer> counts(List<ScenarioResult> results) {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0);
        }
        results.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        return counts;
    }

    private static void atomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** reports/latest: a link to this run, replaced only when it is a link (a user's own file or folder of that name stays). */
    private void pointLatest() throws IOException {
        Path latest = dir.getParent().resolve("latest");
        if (Files.exists(latest, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(latest)) {
            Files.writeString(dir.getParent().resolve("latest.txt"), dir.getFileName().toString());
            return;
        }
        Files.deleteIfExists(latest);
        try {
            Files.createSymbolicLink(latest, dir.getFileName());
        } catch (UnsupportedOperationException | IOException e) {
            Files.writeString(dir.getParent().resolve("latest.txt"), dir.getFileName().toString()); // no symlinks here (Windows)
        }
    }

    private static String json(RunInfo run, List<ScenarioResult> results) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("run", run.id()).put("target", run.target()).put("started", run.started().toString())
                .put("command", run.command()).put("complete", run.complete()).put("interrupted", run.interrupted());
        ObjectNode summary = root.putObject("summary");
        counts(results).forEach((k, v) -> summary.put(k.name().toLowerCase(Locale.ROOT), v));
        ArrayNode list = root.putArray("scenarios");
        for (ScenarioResult r : results) {
            ObjectNode o = list.addObject();
            o.put("name", r.displayName()).put("scenario", r.name()).put("backend", r.backend()).put("file", String.valueOf(r.file())).put("status", r.status().name().toLowerCase(Locale.ROOT))
                    .put("duration_s", r.duration().toMillis() / 1000.0).put("message", r.message());
            o.putPOJO("tags", r.tags());
            if (r.failedStep() != null) {
                o.putObject("failed_step").put("index", r.failedStep().index()).put("line", r.failedStep().line()).put("step", r.failedStep().step());
            }
            ObjectNode m = o.putObject("metrics");
            r.metrics().forEach(m::put);
            o.put("logs", r.logDir() == null ? null : r.logDir().toString());
            ArrayNode tl = o.putArray("timeline");
            Timeline clock = new Timeline(r.startNanos());
            for (Timeline.Entry e : r.timeline()) {
                tl.addObject().put("t", Math.round(clock.seconds(e.nanos()) * 1000) / 1000.0).put("source", e.source()).put("text", e.text())
                        .put("event", e.event());
            }
        }
        return mapper.writeValueAsString(root);
    }

    private static String metricsCsv(RunInfo run, List<ScenarioResult> results) {
        StringBuilder sb = new StringBuilder("run,scenario,metric,value\n");
        for (ScenarioResult r : results) {
            r.metrics().forEach((k, v) -> sb.append(run.id()).append(',').append(r.displayName()).append(',').append(k).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", v)).append('\n'));
            sb.append(run.id()).append(',').append(r.displayName()).append(",duration_ms,").append(r.duration().toMillis()).append('\n');
        }
        return sb.toString();
    }
}
