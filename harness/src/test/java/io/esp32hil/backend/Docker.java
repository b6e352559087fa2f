package io.esp32hil.backend;

import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** For tests that need containers: skipped, with the reason, where Docker or the project's images are missing. */
public final class Docker {
    public static final String PYTHON_IMAGE = "esp32hil/python-test-server:latest";
    public static final String NODE_IMAGE = "esp32hil/node-ws:latest";

    private Docker() {}

    public static void assumeImages() {
        Assumptions.assumeTrue(ContainerBackend.dockerAvailable(), "Docker is not available here (ci/docker-setup.sh installs and starts it)");
        for (String image : List.of(PYTHON_IMAGE, NODE_IMAGE)) {
            boolean present;
            try {
                org.testcontainers.DockerClientFactory.instance().client().inspectImageCmd(image).exec();
                present = true;
            } catch (RuntimeException e) {
                present = false;
            }
            Assumptions.assumeTrue(present, "image " + image + " is not built (ci/docker-setup.sh builds the project's images)");
        }
    }
}
