package io.esp32hil.backend;

import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** For tests that need containers: skipped, with the reason, where Docker or the project's images are missing. */
public final class Docker {
    public static final String PYTHON_IMAGE = "esp32hil/python-test-server:latest";
    public static final String NODE_IMAGE = "esp32hil/node-ws:latest";

    private Docker() {}

    /** Why the container tests cannot run here, or null when they can. */
    public static String missing() {
        if (!ContainerBackend.dockerAvailable()) {
            return "Docker is not available here (ci/docker-setup.sh installs and starts it)";
        }
        for (String image : List.of(PYTHON_IMAGE, NODE_IMAGE)) {
            try {
                org.testcontainers.DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            } catch (RuntimeException e) {
                return "image " + image + " is not built (ci/docker-setup.sh builds the project's images)";
            }
        }
        return null;
    }

    /** Skips the calling test, with the reason, when containers cannot run here. Call it per test, so each skip is reported. */
    public static void assumeImages() {
        String why = missing();
        Assumptions.assumeTrue(why == null, why);
    }
}
