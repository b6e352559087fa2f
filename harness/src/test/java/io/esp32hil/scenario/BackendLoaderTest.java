package io.esp32hil.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.esp32hil.backend.BackendSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendLoaderTest {
    private static final Path SHIPPED = Path.of(System.getProperty("hil.home", ".."), "scenarios", "backends");

    @TempDir
    Path tmp;

    private Path file(String yaml) throws IOException {
        return BadFiles.write(tmp.resolve("mine.yaml"), yaml);
    }

    private void fails(String yaml, int line, String... words) throws IOException {
        Path f = file(yaml);
        BadFiles.refused(f, () -> new BackendLoader(tmp).load(f), line, words);
    }

    @Test
    void aBackendFileIsReadWithItsCommands() throws IOException {
        BackendSpec b = new BackendLoader(tmp).load(file("""
                name: mine
                description: our backend
                image: registry.example/team/backend:1.4
                port: 9001
                path: socket
                env: {LOG_LEVEL: debug, WORKERS: 2}
                command: [--verbose]
                startup_timeout: 45s
                control:
                  port: 7000
                  commands: {close: "kick {code}", send: "say {text}"}
                """));
        assertThat(b.name()).isEqualTo("mine");
        assertThat(b.builtIn()).isFalse();
        assertThat(b.port()).isEqualTo(9001);
        assertThat(b.path()).isEqualTo("/socket");
        assertThat(b.env()).containsEntry("WORKERS", "2");
        assertThat(b.command()).containsExactly("--verbose");
        assertThat(b.startupTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(b.controlPort()).isEqualTo(7000);
        assertThat(b.commands()).isEqualTo(Map.of("close", "kick {code}", "send", "say {text}"));
    }

    @Test
    void theShippedBackendsLoadAndJavaIsTheBuiltInServer() {
        BackendLoader loader = new BackendLoader(SHIPPED);
        assertThat(loader.names()).containsExactly("java", "node", "python");
        assertThat(loader.resolve("java", SHIPPED, 0)).isSameAs(BackendSpec.BUILT_IN);
        for (String name : List.of("python", "node")) {
            assertThat(loader.resolve(name, SHIPPED, 0).commands()).containsKeys("close", "drop", "send");
        }
    }

    @Test
    void everyMistakeNamesFileAndLine() throws IOException {
        fails("name: x\nport: 80\n", 1, "missing 'image'");
        fails("name: x\nimage: i\nport: 80\nflavour: mild\n", 4, "unknown key 'flavour'", "valid:");
        fails("name: x\nimage: i\nport: eighty\n", 3, "'port'", "eighty");
        fails("name: x\nimage: i\nport: 70000\n", 3, "1 to 65535");
        fails("name: java\nimage: i\nport: 80\n", 1, "cannot be named 'java'");
        fails("name: x\nimage: i\nport: 99999999999999999999\n", 3, "too large");
        fails("name: x\nimage: i\nport: 80\nport: 81\n", 4, "'port' appears twice");
        fails("name: x\nimage: i\nport: 80\nenv: {A: {B: 1}}\n", 4, "'env' holds single values");
        fails("name: x\nimage: i\nport: 80\nstartup_timeout: 0s\n", 4, "'startup_timeout' must be longer than 0");
        fails("name: ../x\nimage: i\nport: 80\n", 1, "used for file names");
        fails("name: x\nimage: i\nport: 80\nstartup_timeout: soon\n", 4, "duration");
        fails("name: x\nimage: i\nport: 80\ncommand: --verbose\n", 4, "list of arguments");
        fails("name: x\nimage: i\nport: 80\ncontrol: {commands: {close: /c}}\n", 4, "'control' needs a 'port'");
        fails("name: x\nimage: i\nport: 80\ncontrol: {port: 9}\n", 4, "needs 'commands'");
        fails("name: x\nimage: i\nport: 80\ncontrol: {port: 9, commands: {explode: /boom}}\n", 4, "no server action 'explode'", "close, drop, ping, send");
        fails("name: x\nimage: [i\n", 3, "malformed YAML");
    }

    @Test
    void aBackendCanBeWrittenOutOnTheCommandLine() {
        BackendSpec b = new BackendLoader(SHIPPED).resolve("image=acme/gateway:2,port=8080,path=ws", tmp, 0);
        assertThat(b.image()).isEqualTo("acme/gateway:2");
        assertThat(b.port()).isEqualTo(8080);
        assertThat(b.path()).isEqualTo("/ws");
        assertThat(b.name()).isEqualTo("gateway-2");
        assertThat(b.commands()).isEmpty();
        assertThatThrownBy(() -> new BackendLoader(SHIPPED).resolve("image=acme/gateway:2", tmp, 0)).hasMessageContaining("needs image= and port=");
        assertThatThrownBy(() -> new BackendLoader(SHIPPED).resolve("image=a,port=http", tmp, 0)).hasMessageContaining("not 'http'");
        assertThatThrownBy(() -> new BackendLoader(SHIPPED).resolve("image=a,port=80,colour=red", tmp, 0)).hasMessageContaining("not 'colour=red'");
    }

    @Test
    void anUnknownBackendNameListsTheKnownOnes() {
        Path scenario = tmp.resolve("s.yaml");
        assertThatThrownBy(() -> new BackendLoader(SHIPPED).resolve("rust", scenario, 3))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(scenario + ":3: ")
                .hasMessageContainingAll("unknown backend 'rust'", "java, node, python");
    }
}
