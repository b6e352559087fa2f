package io.esp32hil.report;

import io.esp32hil.engine.ScenarioResult;
import io.esp32hil.engine.Status;
import io.esp32hil.engine.Timeline;
import io.esp32hil.scenario.ConnectionStates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page: a summary table, then per scenario the failing step and its serial
 * context, the metrics, a picture of the connection state over time, and the timeline that
 * interleaves serial lines, server events (or a backend's log and the fault proxy's events) and
 * harness steps. A run against several backends starts with their matrix.
 */
final class HtmlReport {
    private HtmlReport() {}

    static String render(RunInfo run, List<ScenarioResult> results, Path reportDir) {
        Map<Status, Integer> c = ReportWriter.counts(results);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>HIL run ").append(esc(run.id())).append("</title>\n<style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:32px}")
                .append("table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}")
                .append(".passed{color:#1a7f37}.failed,.timed_out,.error,.not_run{color:#cf222e;font-weight:600}.skipped{color:#777}")
                .append("pre{background:#f6f8fa;padding:8px;overflow-x:auto;font-size:12px}.tl td{font:12px ui-monospace,monospace;white-space:pre-wrap}")
                .append(".serial{color:#0550ae}.server{color:#8250df}.backend{color:#953800}.proxy{color:#0a7c86}.harness{color:#6e7781}")
                .append(".tripwire{background:#ffebe9}")
                .append("details{margin:8px 0}summary{cursor:pointer}.legend span{display:inline-block;margin-right:12px}")
                .append(".sw{display:inline-block;width:10px;height:10px;margin-right:4px}</style></head><body>\n");
        h.append("<h1>HIL run ").append(esc(run.id())).append(" on ").append(esc(run.target())).append(run.interrupted() ? " (interrupted)" : run.complete() ? "" : " (not finished)").append("</h1>\n");
        if (!run.complete()) {
            h.append("<p class=\"not_run\">").append(run.interrupted() ? "The run was interrupted: "
                    : "The run had not finished when this was written (if it is no longer running, it was killed): ")
                    .append("the scenarios marked <i>not run</i> have no result.</p>\n");
        }
        h.append("<p>").append(c.get(Status.PASSED)).append(" passed, ").append(c.get(Status.FAILED)).append(" failed, ")
                .append(c.get(Status.TIMED_OUT)).append(" timed out, ").append(c.get(Status.ERROR)).append(" errors, ")
                .append(c.get(Status.SKIPPED)).append(" skipped")
                .append(c.get(Status.NOT_RUN) > 0 ? ", " + c.get(Status.NOT_RUN) + " not run" : "").append(". Started ").append(esc(run.started().toString())).append(". Command: <code>")
                .append(esc(run.command())).append("</code></p>\n");
        matrix(h, results);
        h.append("<table><tr><th>scenario</th><th>status</th><th>time</th><th>metrics</th><th>why</th></tr>\n");
        for (ScenarioResult r : results) {
            String id = anchor(r);
            h.append("<tr><td><a href=\"#").append(id).append("\">").append(esc(r.displayName())).append("</a></td><td class=\"")
                    .append(cls(r)).append("\">").append(cls(r).replace('_', ' ')).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f s", r.duration().toMillis() / 1000.0)).append("</td><td>").append(esc(metrics(r)))
                    .append("</td><td>").append(esc(r.message() == null ? "" : r.message().lines().findFirst().orElse(""))).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (ScenarioResult r : results) {
            scenario(h, r, reportDir);
        }
        return h.append("</body></html>\n").toString();
    }

    /** When the run had several backends: one row per scenario, one column per backend, each cell the outcome. */
    private static void matrix(StringBuilder h, List<ScenarioResult> results) {
        List<String> backends = results.stream().map(ScenarioResult::backend).distinct().toList();
        if (backends.size() < 2) {
            return;
        }
        Map<String, Map<String, ScenarioResult>> byScenario = new LinkedHashMap<>();
        for (ScenarioResult r : results) {
            byScenario.computeIfAbsent(r.repetition() > 0 ? r.name() + " #" + r.repetition() : r.name(), k -> new LinkedHashMap<>()).put(r.backend(), r);
        }
        h.append("<h2>Backends</h2>\n<table><tr><th>scenario</th>");
        backends.forEach(b -> h.append("<th>").append(esc(b)).append("</th>"));
        h.append("</tr>\n");
        byScenario.forEach((name, cells) -> {
            h.append("<tr><td>").append(esc(name)).append("</td>");
            for (String b : backends) {
                ScenarioResult r = cells.get(b);
                h.append(r == null ? "<td>&ndash;</td>" : "<td class=\"" + cls(r) + "\"><a href=\"#" + anchor(r) + "\">"
                        + cls(r).replace('_', ' ') + "</a></td>");
            }
            h.append("</tr>\n");
        });
        h.append("</table>\n<h2>Scenarios</h2>\n");
    }

    private static void scenario(StringBuilder h, ScenarioResult r, Path reportDir) {
        h.append("<h2 id=\"").append(anchor(r)).append("\">").append(esc(r.displayName())).append(" <span class=\"").append(cls(r)).append("\">")
                .append(cls(r).replace('_', ' ')).append("</span></h2>\n");
        if (!r.description().isEmpty()) {
            h.append("<p>").append(esc(r.description())).append("</p>\n");
        }
        h.append("<p>").append(esc(String.valueOf(r.file()))).append(r.tags().isEmpty() ? "" : " &middot; tags: " + esc(String.join(", ", r.tags())));
        if (r.logDir() != null && r.status() != Status.SKIPPED) {
            String rel = relative(reportDir, r.logDir());
            h.append(" &middot; logs: <a href=\"").append(esc(rel)).append("/").append(esc(r.name().replaceAll("[^A-Za-z0-9._-]", "_")))
                    .append(".log\">serial</a>");
            for (String log : List.of("server", "backend", "proxy")) {
                if (java.nio.file.Files.exists(r.logDir().resolve(log + ".log"))) {
                    h.append(", <a href=\"").append(esc(rel)).append("/").append(log).append(".log\">").append(log).append("</a>");
                }
            }
        }
        h.append("</p>\n");
        if (r.status() != Status.PASSED) {
            if (r.failedStep() != null) {
                h.append("<p><b>Failing step ").append(r.failedStep().index()).append("</b> (line ").append(r.failedStep().line()).append("): <code>")
                        .append(esc(r.failedStep().step())).append("</code></p>\n");
            }
            h.append("<pre>").append(esc(r.message() == null ? "" : r.message())).append("</pre>\n");
        }
        if (!r.metrics().isEmpty()) {
            h.append("<p>Metrics: ").append(esc(metrics(r))).append("</p>\n");
        }
        if (!r.timeline().isEmpty()) {
            if (r.states().initial().isPresent()) {
                h.append(stateSvg(r));
            }
            h.append("<details").append(r.status() == Status.PASSED ? "" : " open").append("><summary>timeline (").append(r.timeline().size())
                    .append(" entries)</summary><table class=\"tl\">\n");
            Timeline clock = new Timeline(r.startNanos());
            for (Timeline.Entry e : r.timeline()) {
                h.append("<tr class=\"").append("tripwire".equals(e.event()) ? "tripwire" : "").append("\"><td>")
                        .append(String.format(Locale.ROOT, "%8.3f", clock.seconds(e.nanos()))).append("</td><td class=\"").append(e.source()).append("\">")
                        .append(e.source()).append("</td><td class=\"").append(e.source()).append("\">").append(esc(e.text())).append("</td></tr>\n");
            }
            h.append("</table></details>\n");
        }
    }

    /** The connection state over the scenario's time, as coloured bands on one axis, in the states its firmware's profile declares. */
    static String stateSvg(ScenarioResult r) {
        double total = Math.max(0.001, r.duration().toNanos() / 1e9);
        Timeline clock = new Timeline(r.startNanos());
        List<double[]> bands = new ArrayList<>();
        List<ConnectionStates.State> names = new ArrayList<>();
        ConnectionStates.State state = r.states().initial().orElseThrow();
        double since = 0;
        for (Timeline.Entry e : r.timeline()) {
            ConnectionStates.State next = "serial".equals(e.source()) && e.event() != null ? r.states().startedBy(e.event()).orElse(null) : null;
            if (next != null && !next.equals(state)) {
                double t = Math.min(total, Math.max(0, clock.seconds(e.nanos())));
                bands.add(new double[] {since, t});
                names.add(state);
                state = next;
                since = t;
            }
        }
        bands.add(new double[] {since, total});
        names.add(state);
        int width = 900;
        StringBuilder s = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"46\" role=\"img\" aria-label=\"connection state over time\">");
        for (int i = 0; i < bands.size(); i++) {
            double x0 = bands.get(i)[0] / total * width;
            double x1 = bands.get(i)[1] / total * width;
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"4\" width=\"%.1f\" height=\"22\" fill=\"%s\"><title>%s %.2f-%.2f s</title></rect>",
                    x0, Math.max(0.5, x1 - x0), names.get(i).colour(), esc(names.get(i).name()), bands.get(i)[0], bands.get(i)[1]));
        }
        for (int tick = 0; tick <= 4; tick++) {
            double x = tick / 4.0 * (width - 1);
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"42\" font-size=\"10\" text-anchor=\"%s\">%.1f s</text>", x,
                    tick == 0 ? "start" : tick == 4 ? "end" : "middle", total * tick / 4));
        }
        s.append("</svg>\n<div class=\"legend\">");
        names.stream().distinct().forEach(n -> s.append("<span><i class=\"sw\" style=\"background:").append(n.colour())
                .append("\"></i>").append(esc(n.name())).append("</span>"));
        return s.append("</div>\n").toString();
    }

    private static String metrics(ScenarioResult r) {
        StringBuilder sb = new StringBuilder();
        r.metrics().forEach((k, v) -> sb.append(sb.length() > 0 ? ", " : "").append(k).append(" = ").append(
                k.endsWith("_ms") ? String.format(Locale.ROOT, "%.0f ms", v) : k.endsWith("_ratio") ? String.format(Locale.ROOT, "%.2f", v)
                        : String.format(Locale.ROOT, "%.0f", v)));
        return sb.toString();
    }

    private static String cls(ScenarioResult r) {
        return r.status().name().toLowerCase(Locale.ROOT);
    }

    private static String anchor(ScenarioResult r) {
        return "s-" + r.displayName().replaceAll("[^A-Za-z0-9]", "-");
    }

    private static String relative(Path from, Path to) {
        try {
            return from.toAbsolutePath().relativize(to.toAbsolutePath()).toString();
        } catch (IllegalArgumentException e) {
            return to.toAbsolutePath().toString();
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
