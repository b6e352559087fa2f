package io.esp32hil.junit;

import io.esp32hil.backend.BackendSpec;
import io.esp32hil.backend.ContainerBackend;
import io.esp32hil.backend.FaultProxy;
import io.esp32hil.cli.Suite;
import io.esp32hil.deploy.Deployer;
import io.esp32hil.deploy.FirmwareBundle;
import io.esp32hil.device.Device;
import io.esp32hil.engine.Target;
import io.esp32hil.engine.Targets;
import io.esp32hil.scenario.ScenarioLoader;
import io.esp32hil.server.TestServer;
import java.lang.reflect.AnnotatedElement;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
 * <p>With {@link Backend} the server is a container instead, and a test that takes a {@link FaultProxy}
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
        if (type == Device.class) {
            return device(c);
        }
        if (type == FaultProxy.class) {
            return proxy(c);
        }
        if (backendName(c) != null) {
            if (type == TestServer.class) {
                throw new ParameterResolutionException("this test runs against backend '" + backendName(c) + "': ask for a ContainerBackend, not a TestServer");
            }
            return container(c);
        }
        if (type == ContainerBackend.class) {
            throw new ParameterResolutionException("a ContainerBackend parameter needs @Backend on the test or its class");
        }
        return server(c);
    }

    private static String backendName(ExtensionContext c) {
        Backend b = c.getRequiredTestMethod().getAnnotation(Backend.class);
        b = b != null ? b : c.getRequiredTestClass().getAnnotation(Backend.class);
        return b == null ? null : b.value();
    }

    private static ContainerBackend container(ExtensionContext c) {
        return (ContainerBackend) c.getStore(NS).getOrComputeIfAbsent("container", k -> {
            Suite suite = Suite.locate();
            BackendSpec spec = suite.backends().resolve(backendName(c), suite.scenariosDir(), 0);
            ContainerBackend.check(spec);
            return new Closing(ContainerBackend.start(spec, logDir(c), io.esp32hil.observe.Clock.wall()));
        }, Closing.class).resource();
    }

    /** The proxy in front of the test's server, when the test has a container backend or asks for a proxy. */
    private static FaultProxy proxy(ExtensionContext c) {
        return (FaultProxy) c.getStore(NS).getOrComputeIfAbsent("proxy", k -> {
            InetSocketAddress upstream = backendName(c) != null ? container(c).address() : new InetSocketAddress("127.0.0.1", server(c).port());
            String bind = System.getProperty("hil.target", "sim").equals("sim") ? "127.0.0.1" : "0.0.0.0";
            return new Closing(FaultProxy.start(bind, upstream, new io.esp32hil.observe.LineLog(logDir(c).resolve("proxy.log"), io.esp32hil.observe.Clock.wall())));
        }, Closing.class).resource();
    }

    private static boolean behindProxy(ExtensionContext c) {
        return backendName(c) != null || Arrays.asList(c.getRequiredTestMethod().getParameterTypes()).contains(FaultProxy.class);
    }

    /** The URL the board is given: the server's own, or the proxy's port in front of it. */
    private static String boardUrl(ExtensionContext c, String boardHost) {
        if (!behindProxy(c)) {
            return server(c).url(boardHost);
        }
        if (backendName(c) != null) {
            return TestServer.url(false, boardHost, proxy(c).port(), container(c).spec().path());
        }
        return server(c).url(boardHost, proxy(c).port());
    }

    private static Path logDir(ExtensionContext c) {
        String name = c.getRequiredTestClass().getSimpleName() + "-" + c.getRequiredTestMethod().getName();
        return Path.of("target", "hil-junit", name);
    }

    private static TestServer server(ExtensionContext c) {
        // A simulated board reaches loopback; a bench or Wokwi board comes in over the network.
        String bind = System.getProperty("hil.target", "sim").equals("sim") ? "127.0.0.1" : "0.0.0.0";
        return (TestServer) c.getStore(NS).getOrComputeIfAbsent("server",
                k -> new Closing(TestServer.builder().host(bind).logDir(logDir(c)).path("/ws").start()), Closing.class).resource();
    }

    private static Device device(ExtensionContext c) {
        return (Device) c.getStore(NS).getOrComputeIfAbsent("device", k -> {
            Suite suite = Suite.locate();
            Target target = Targets.fromSystemProperties(suite.home());
            Device device = target.open(c.getRequiredTestMethod().getName(), logDir(c));
            Closing closing = new Closing(device);
            Map<String, Object> config = new LinkedHashMap<>(ScenarioLoader.loadDefaults(suite.scenariosDir().resolve("defaults.yaml")));
            config.put("WIFI_SSID", device.network().ssid());
            config.put("WIFI_PASSWORD", device.network().password());
            try {
                config.put("WS_URL", boardUrl(c, device.network().serverHost()));
            } catch (RuntimeException e) {
                device.close();
                throw e;
            }
            settings(c.getRequiredTestClass(), config);
            settings(c.getRequiredTestMethod(), config);
            try {
                Deployer.deploy(device, FirmwareBundle.of(suite.home().resolve("firmware")).config(config).files());
            } catch (RuntimeException e) {
                device.close(); // not in the store yet, so nothing else would stop it
                throw e;
            }
            return closing;
        }, Closing.class).resource();
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
