package io.esp32hil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./hil launcher itself, in a copy of the project's layout with stand-ins for mvn and java on the PATH. */
class HilScriptTest {
    private static final Path HIL = Path.of(System.getProperty("hil.home", "..")).toAbsolutePath().normalize().resolve("hil");

    @TempDir
    Path tmp;

    private Path tool(Path bin, String name, String script) throws IOException {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    @Test
    void twoHilCommandsThatBothNeedABuildBuildOnce() throws Exception {
        Path project = tmp.resolve("project");
        Files.createDirectories(project.resolve("harness/src/main"));
        Files.createDirectories(project.resolve("simulator/node_modules"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Files.writeString(project.resolve("harness/pom.xml"), "<project/>");
        Files.copy(HIL, project.resolve("hil"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path builds = tmp.resolve("builds.log");
        // The stand-in build holds on until the test releases it, so the second command surely comes during it.
        tool(bin, "mvn", "echo start >> '" + builds + "'\n"
                + "for i in $(seq 1 600); do [ -f '" + tmp.resolve("release") + "' ] && break; sleep 0.1; done\n"
                + "mkdir -p '" + project.resolve("harness/target") + "' && touch '" + project.resolve("harness/target/harness.jar") + "'\n"
                + "echo end >> '" + builds + "'\n");
        tool(bin, "java", "echo java ran\n");
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"));
        ProcessBuilder pb = new ProcessBuilder("bash", project.resolve("hil").toString(), "--help").redirectErrorStream(true);
        pb.environment().putAll(env);
        Process first = pb.redirectOutput(tmp.resolve("first.out").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(builds) && Files.readString(builds).contains("start"));
        Process second = pb.redirectOutput(tmp.resolve("second.out").toFile()).start();
        // The second waits for the first's build (on the lock) instead of starting its own.
        await().atMost(Duration.ofSeconds(20)).until(() -> second.descendants().anyMatch(p -> p.info().command().orElse("").endsWith("flock"))
                || Files.readAllLines(builds).stream().filter("start"::equals).count() > 1);
        assertThat(Files.readAllLines(builds)).containsExactly("start");
        Files.writeString(tmp.resolve("release"), "");
        assertThat(first.waitFor(30, TimeUnit.SECONDS) && second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllLines(builds)).containsExactly("start", "end");
        for (String out : List.of("first.out", "second.out")) {
            assertThat(Files.readString(tmp.resolve(out))).as(out).contains("java ran");
        }
    }
}
