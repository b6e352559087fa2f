package io.esp32hil.scenario;

import java.io.Reader;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** YAML read as a node tree, which keeps each value's line for error messages. */
final class Yaml {
    private Yaml() {}

    static Node compose(Path file, Reader reader) {
        try {
            Node node = new org.yaml.snakeyaml.Yaml(new LoaderOptions()).compose(reader);
            if (node == null) {
                throw new ScenarioException(file, 1, "the file is empty");
            }
            return node;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new ScenarioException(file, line, "malformed YAML: " + e.getProblem());
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new ScenarioException(file, 0, "malformed YAML: " + e.getMessage());
        }
    }

    /** The node tree of a file; a file that cannot be read is a ScenarioException naming it. */
    static Node read(Path file, String what) {
        try (Reader r = java.nio.file.Files.newBufferedReader(file)) {
            return compose(file, r);
        } catch (java.io.IOException e) {
            throw new ScenarioException(file, 0, "cannot read " + what + ": " + e.getMessage());
        }
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    static String scalar(Path file, Node node) {
        if (!(node instanceof ScalarNode s)) {
            throw new ScenarioException(file, line(node), "expected a single value here");
        }
        return s.getValue();
    }
}
