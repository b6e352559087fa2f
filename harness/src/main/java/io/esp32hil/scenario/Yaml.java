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

    /**
     * The top-level keys of a file that must be a mapping, each with its value node; a key outside
     * valid is an error naming it and the valid ones. notAMapping says what the file should be.
     */
    static java.util.Map<String, Node> keys(Path file, Node root, java.util.Set<String> valid, String notAMapping) {
        if (!(root instanceof org.yaml.snakeyaml.nodes.MappingNode map)) {
            throw new ScenarioException(file, line(root), notAMapping);
        }
        java.util.Map<String, Node> top = new java.util.LinkedHashMap<>();
        for (org.yaml.snakeyaml.nodes.NodeTuple t : map.getValue()) {
            String key = scalar(file, t.getKeyNode());
            if (!valid.contains(key)) {
                throw new ScenarioException(file, line(t.getKeyNode()), "unknown key '" + key + "' (valid: " + String.join(", ", new java.util.TreeSet<>(valid)) + ")");
            }
            top.put(key, t.getValueNode());
        }
        return top;
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
