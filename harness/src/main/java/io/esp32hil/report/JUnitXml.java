package io.esp32hil.report;

import io.esp32hil.engine.ScenarioResult;
import io.esp32hil.engine.Status;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run as JUnit XML, which every CI system reads; metrics go into each test case's properties. */
final class JUnitXml {
    private JUnitXml() {}

    static String render(RunInfo run, List<ScenarioResult> results) {
        Map<Status, Integer> c = ReportWriter.counts(results);
        double total = results.stream().mapToLong(r -> r.duration().toMillis()).sum() / 1000.0;
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append(String.format(Locale.ROOT, "<testsuite name=\"hil.%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\" timestamp=\"%s\">%n",
                esc(run.target()), results.size(), c.get(Status.FAILED) + c.get(Status.TIMED_OUT), c.get(Status.ERROR) + c.get(Status.NOT_RUN), c.get(Status.SKIPPED),
                total, run.started()));
        for (ScenarioResult r : results) {
            x.append(String.format(Locale.ROOT, "  <testcase classname=\"scenarios.%s\" name=\"%s\" file=\"%s\" time=\"%.3f\">%n",
                    esc(run.target()), esc(r.displayName()), esc(String.valueOf(r.file())), r.duration().toMillis() / 1000.0));
            if (!r.metrics().isEmpty()) {
                x.append("    <properties>\n");
                r.metrics().forEach((k, v) -> x.append(String.format(Locale.ROOT, "      <property name=\"metric.%s\" value=\"%.1f\"/>%n", esc(k), v)));
                x.append("    </properties>\n");
            }
            String msg = r.message() == null ? "" : r.message();
            String first = msg.lines().findFirst().orElse("");
            switch (r.status()) {
                case FAILED, TIMED_OUT -> x.append("    <failure type=\"").append(r.status().name().toLowerCase(Locale.ROOT)).append("\" message=\"")
                        .append(esc(first)).append("\">").append(esc(msg)).append("</failure>\n");
                case ERROR -> x.append("    <error message=\"").append(esc(first)).append("\">").append(esc(msg)).append("</error>\n");
                case NOT_RUN -> x.append("    <error type=\"not_run\" message=\"").append(esc(first)).append("\"/>\n");
                case SKIPPED -> x.append("    <skipped message=\"").append(esc(first)).append("\"/>\n");
                default -> { }
            }
            x.append("  </testcase>\n");
        }
        return x.append("</testsuite>\n").toString();
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> {
                    if (ch < 0x20 && ch != '\n' && ch != '\t') {
                        sb.append(' '); // not allowed in XML 1.0
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.toString();
    }
}
