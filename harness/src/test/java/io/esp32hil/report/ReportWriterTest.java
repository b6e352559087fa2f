package io.esp32hil.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.esp32hil.engine.ScenarioResult;
import io.esp32hil.engine.Status;
import io.esp32hil.engine.Timeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    @TempDir
    Path tmp;

    private ScenarioResult result(String name, Status status, String message, Map<String, Double> metrics) {
        long t0 = 1_000_000_000L;
        List<Timeline.Entry> timeline = List.of(
                new Timeline.Entry(t0 + 100_000_000L, "serial", "[ws] connecting url=ws://x attempt=1", "connecting"),
                new Timeline.Entry(t0 + 300_000_000L, "serial", "[ws] connected url=ws://x ms=12", "connected"),
                new Timeline.Entry(t0 + 400_000_000L, "server", "#1 open path=/ws", "open"),
                new Timeline.Entry(t0 + 900_000_000L, "serial", "[ws] closed code=1006 reason=x by=network", "closed"));
        return new ScenarioResult(name, "what " + name + " checks", Path.of("scenarios", name + ".yaml"), List.of("t"), "sim", "java", 0, status, t0,
                Duration.ofSeconds(1), message, status == Status.FAILED ? new ScenarioResult.FailedStep(2, 7, "expect closed") : null,
                List.of("[ws] connected"), List.of(), metrics, timeline, tmp.resolve(name),
                io.esp32hil.scenario.FirmwareProfile.load(Path.of(System.getProperty("hil.firmware.dir", "../firmware"), "hil-profile.yaml")).states());
    }

    @Test
    void everyFormatKeepsTheOutcomesApart() throws Exception {
        ReportWriter w = new ReportWriter(tmp, "r1");
        List<ScenarioResult> results = List.of(
                result("ok", Status.PASSED, null, Map.of("reconnect_ms", 377.0)),
                result("bad", Status.FAILED, "no serial event 'closed' <within> & \"so\"", Map.of()),
                result("slow", Status.TIMED_OUT, "time limit", Map.of()),
                result("broken", Status.ERROR, "simulator gone", Map.of()),
                result("n/a", Status.SKIPPED, "target bench has no bench_control", Map.of()));
        w.write(new RunInfo("r1", "sim", Instant.parse("2026-11-24T00:00:00Z"), "hil run", true), results);

        JsonNode json = new ObjectMapper().readTree(w.dir().resolve("results.json").toFile());
        assertThat(json.path("interrupted").asBoolean()).isTrue();
        assertThat(json.path("summary").toString()).isEqualTo("{\"passed\":1,\"failed\":1,\"timed_out\":1,\"skipped\":1,\"error\":1,\"not_run\":0}");
        assertThat(json.path("scenarios").get(1).path("failed_step").path("line").asInt()).isEqualTo(7);
        assertThat(json.path("scenarios").get(0).path("timeline")).hasSize(4);

        String xml = Files.readString(w.dir().resolve("junit.xml"));
        assertThat(xml).contains("tests=\"5\" failures=\"2\" errors=\"1\" skipped=\"1\"")
                .contains("<property name=\"metric.reconnect_ms\" value=\"377.0\"/>")
                .contains("&lt;within&gt; &amp; &quot;so&quot;")
                .contains("<failure type=\"timed_out\"").contains("<skipped message=\"target bench has no bench_control\"/>");

        assertThat(Files.readAllLines(w.dir().resolve("metrics.csv"))).contains("r1,ok,reconnect_ms,377.0");

        String html = Files.readString(w.html());
        assertThat(html).contains("(interrupted)").contains("1 passed, 1 failed, 1 timed out, 1 errors, 1 skipped")
                .contains("Failing step 2</b> (line 7)").contains("&lt;within&gt;").contains("<svg").contains("connected")
                .doesNotContain("<within>");
        assertThat(Files.readSymbolicLink(tmp.resolve("latest"))).isEqualTo(Path.of("r1"));
    }

    @Test
    void aUsersOwnFolderNamedLatestIsLeftAlone() throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("latest"));
        Files.writeString(mine.resolve("notes.txt"), "mine");
        ReportWriter w = new ReportWriter(tmp, "r2");
        w.write(new RunInfo("r2", "sim", Instant.now(), "hil run", false), List.of(result("ok", Status.PASSED, null, Map.of())));
        assertThat(mine.resolve("notes.txt")).hasContent("mine");
        assertThat(tmp.resolve("latest.txt")).hasContent("r2");
    }
}
