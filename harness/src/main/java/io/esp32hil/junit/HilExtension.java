package io.esp32hil.junit;

import io.esp32hil.backend.Backend;
import io.esp32hil.backend.BackendSpec;
import io.esp32hil.backend.ContainerBackend;
import io.esp32hil.cli.Suite;
import io.esp32hil.device.Device;
import io.esp32hil.net.FaultProxy;
import io.esp32hil.rig.Rig;
import io.esp32hil.rig.RigBuilder;
import io.esp32hil.rig.Targets;
import io.esp32hil.scenario.ScenarioLoader;
import io.esp32hil.server.TestServer;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a JUnit 5 test a board running the firmware and the test server it talks to:
 *
 * <pre>{@code
 * @ExtendWith(HilExtension.class)
 * class MyTest {
 *     @Test
 *     @FirmwareConfig("PING_INTERVAL_MS=1000")
 *     void echo(Device board, TestServer server) { ... }
 * }
 * }</pre>
 *
 * The board (the simulator, or the target named by -Dhil.target; see {@link Targets}) gets the
 * firmware with a config.py pointing at the server, which listens before the firmware is deployed,
 * plus the suite's defaults and any {@link FirmwareConfig}. Both are stopped after the test, however
 * it ends. Logs go to
 * target/hil-junit/&lt;test&gt;/.
 *
 * <p>With {@link io.esp32hil.junit.Backend @Backend} the server is a container instead, and a test that takes a {@link FaultProxy}
 * gets the board's link through one (a container backend always sits behind it):
 *
 * <pre>{@code
 * @Test
 * @Backend("python")
 * void survivesAReset(Device board, ContainerBackend backend, FaultProxy proxy) { ... }
 * }</pre>
 */
public final class HilExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(HilExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        Class<?> type = p.getParameter().getType();
        return type == Device.class || type == TestServer.class || type == ContainerBackend.class || type == FaultProxy.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        Class<?> type = p.getParameter().getType();
        if (backendName(c) != null && type == TestServer.class) {
            throw new ParameterResolutionException("this test runs against backend '" + backendName(c) + "': ask for a ContainerBackend, not a TestServer");
        }
        if (backendName(c) == null && type == ContainerBackend.class) {
            throw new ParameterResolutionException("a ContainerBackend parameter needs @Backend on the test or its class");
        }
        Rig rig = rig(c);
        if (type == Device.class) {
            return rig.device();
        }
        if (type == FaultProxy.class) {
            return rig.proxy().orElseThrow();
        }
        Backend backend = rig.backend().orElseThrow();
        return type == TestServer.class ? backend.testServer().orElseThrow() : backend;
    }

    private static String backendName(ExtensionContext c) {
        io.esp32hil.junit.Backend b = c.getRequiredTestMethod().getAnnotation(io.esp32hil.junit.Backend.class);
        b = b != null ? b : c.getRequiredTestClass().getAnnotation(io.esp32hil.junit.Backend.class);
        return b == null ? null : b.value();
    }

    /** The test's testbed, built the first time one of its parameters is resolved, from all of them. */
    private static Rig rig(ExtensionContext c) {
        return (Rig) c.getStore(NS).getOrComputeIfAbsent("rig", k -> {
            Suite suite = Suite.locate();
            List<Class<?>> params = Arrays.asList(c.getRequiredTestMethod().getParameterTypes());
            BackendSpec spec = BackendSpec.BUILT_IN;
            if (backendName(c) != null) {
                spec = suite.backends().resolve(backendName(c), suite.scenariosDir(), 0);
                ContainerBackend.check(spec);
            }
            Map<String, Object> config = new LinkedHashMap<>();
            settings(c.getRequiredTestClass(), config);
            settings(c.getRequiredTestMethod(), config);
            RigBuilder b = Rig.builder().logDir(logDir(c)).backend(spec).proxy(params.contains(FaultProxy.class))
                    .firmware(suite.profile().layout(), suite.home().resolve("firmware"), ScenarioLoader.loadDefaults(suite.scenariosDir().resolve("defaults.yaml")), config, null);
            if (params.contains(Device.class)) {
                b.board(Targets.fromSystemProperties(suite.home()), c.getRequiredTestMethod().getName());
            }
            return new Closing(b.build().start());
        }, Closing.class).resource();
    }

    private static Path logDir(ExtensionContext c) {
        String name = c.getRequiredTestClass().getSimpleName() + "-" + c.getRequiredTestMethod().getName();
        return Path.of("target", "hil-junit", name);
    }

    private static void settings(AnnotatedElement where, Map<String, Object> into) {
        Optional.ofNullable(where.getAnnotation(FirmwareConfig.class)).ifPresent(a -> {
            for (String entry : a.value()) {
                int eq = entry.indexOf('=');
                if (eq < 1) {
                    throw new ParameterResolutionException("@FirmwareConfig entries are NAME=value, not '" + entry + "'");
                }
                String v = entry.substring(eq + 1).strip();
                Object value = v.matches("-?\\d+") ? (Object) Long.parseLong(v) : v.equals("True") || v.equals("False") ? (Object) v.equals("True") : v;
                into.put(entry.substring(0, eq).strip(), value);
            }
        });
    }

    /** Closes what it holds when JUnit drops the test's store. */
    private record Closing(AutoCloseable resource) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() throws Exception {
            resource.close();
        }
    }
}
