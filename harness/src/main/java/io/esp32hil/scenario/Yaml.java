package io.esp32hil.scenario;

import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** YAML read as a node tree, which keeps each value's line for error messages. */
final class Yaml {
    private Yaml() {}

    static Node compose(Path file, Reader reader) {
        try {
            // Aliases are for the odd repeated block; few of them keep a "billion laughs" file small.
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(20);
            options.setNestingDepthLimit(30);
            Node node = new org.yaml.snakeyaml.Yaml(options).compose(reader);
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

    /** Scenario, backend and profile files are small; a larger one is a mistake (a log named .yaml, say). */
    static final int MAX_BYTES = 1 << 20;

    /**
     * The node tree of a file, checked: UTF-8 text, no key twice in a mapping, no alias that contains
     * itself. A file that cannot be read is a ScenarioException that says why in plain words.
     */
    static Node read(Path file, String what) {
        if (java.nio.file.Files.isDirectory(file)) {
            throw new ScenarioException(file, 0, "cannot read " + what + ": it is a folder");
        }
        byte[] bytes;
        try {
            if (java.nio.file.Files.size(file) > MAX_BYTES) {
                throw new ScenarioException(file, 0, "cannot read " + what + ": it is larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            bytes = java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new ScenarioException(file, 0, "cannot read " + what + ": " + FileErrors.plain(e).replace(file + ": ", ""));
        }
        Node root = compose(file, new java.io.StringReader(utf8(file, bytes)));
        check(file, root, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()),
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return root;
    }

    private static String utf8(Path file, byte[] bytes) {
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT).onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new ScenarioException(file, line, String.format("not UTF-8 text: byte 0x%02X on line %d (save the file as UTF-8)", bytes[at] & 0xff, line));
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** No mapping holds a key twice (YAML would keep the last and hide the first), and no alias refers to a node that contains it. */
    private static void check(Path file, Node node, java.util.Set<Node> open, java.util.Set<Node> done) {
        if (!open.add(node)) {
            throw new ScenarioException(file, line(node), "an alias refers to a node that contains it (a recursive alias)");
        }
        if (!done.add(node)) {
            open.remove(node); // an alias to a node already checked
            return;
        }
        if (node instanceof org.yaml.snakeyaml.nodes.MappingNode map) {
            java.util.Map<String, Integer> seen = new java.util.HashMap<>();
            for (org.yaml.snakeyaml.nodes.NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    Integer first = seen.putIfAbsent(k.getValue(), line(k));
                    if (first != null) {
                        throw new ScenarioException(file, line(k), "key '" + k.getValue() + "' appears twice in one mapping (first on line " + first + ")");
                    }
                }
                check(file, t.getKeyNode(), open, done);
                check(file, t.getValueNode(), open, done);
            }
        } else if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode seq) {
            for (Node n : seq.getValue()) {
                check(file, n, open, done);
            }
        }
        open.remove(node);
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

    private static final Pattern WHOLE = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?");

    /**
     * A node as plain Java values: String, Long, Double, Boolean, null, List, Map. Numbers are read
     * only as they are commonly written (decimal, finite, within a long): YAML 1.1's hexadecimal,
     * octal, base-60 and infinite numbers are refused with the line, never guessed at.
     */
    static Object toJava(Path file, Node node) {
        if (node instanceof ScalarNode s) {
            Tag tag = s.getTag();
            String v = s.getValue();
            if (Tag.INT.equals(tag)) {
                String digits = v.replace("_", "");
                if (!WHOLE.matcher(digits).matches()) {
                    throw new ScenarioException(file, line(s), "'" + v + "' is not a number this harness reads: write whole numbers in decimal, like 16"
                            + " (quote it if it is text)");
                }
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    throw new ScenarioException(file, line(s), "'" + v + "' is too large a number (at most " + Long.MAX_VALUE + ")");
                }
            }
            if (Tag.FLOAT.equals(tag)) {
                double d = DECIMAL.matcher(v.replace("_", "")).matches() ? Double.parseDouble(v.replace("_", "")) : Double.NaN;
                if (!Double.isFinite(d)) {
                    throw new ScenarioException(file, line(s), "'" + v + "' is not a finite decimal number (like 0.5 or 2e3)");
                }
                return d;
            }
            if (Tag.BOOL.equals(tag)) {
                return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on");
            }
            if (Tag.NULL.equals(tag)) {
                return null;
            }
            return v;
        }
        if (node instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            for (Node n : seq.getValue()) {
                out.add(toJava(file, n));
            }
            return out;
        }
        MappingNode map = (MappingNode) node;
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            out.put(scalar(file, t.getKeyNode()), toJava(file, t.getValueNode()));
        }
        return out;
    }
}
