package io.esp32hil.scenario.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The step table in scenarios/README.md documents exactly the registry's step kinds, each as it is written, with every modifier it takes. */
class StepTableTest {
    private static final Path README = Path.of(System.getProperty("hil.home", ".."), "scenarios", "README.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** Each table row of the "Steps" section by the step names its first column shows. */
    private static Map<String, String> rows() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int from = lines.indexOf("## Steps");
        assertThat(from).as("a '## Steps' section in " + README).isNotNegative();
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : lines.subList(from + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher m = CODE.matcher(line.substring(0, line.indexOf('|', 1)));
            while (m.find()) {
                String name = m.group(1).split("[: ]", 2)[0];
                if (!name.equals("steps")) { // "repeat: N with steps:"
                    rows.put(name, line);
                }
            }
        }
        return rows;
    }

    @Test
    void theTableListsEveryStepKindAndNoOther() throws IOException {
        assertThat(rows().keySet()).containsExactlyInAnyOrderElementsOf(Steps.names());
    }

    @Test
    void eachRowShowsTheStepAsItIsWrittenAndNamesEveryModifierItTakes() throws IOException {
        Map<String, String> rows = rows();
        for (StepKind kind : Steps.all()) {
            String row = rows.get(kind.name());
            assertThat(row).as("the row of " + kind.name()).contains("`" + kind.usage() + "`");
            for (String modifier : kind.modifiers()) {
                assertThat(row).as("the row of " + kind.name() + " names its modifier " + modifier).containsPattern("\\b" + modifier + "\\b");
            }
            if (kind.needs() != null) {
                assertThat(row).as("the row of " + kind.name() + " says what it needs").contains("needs `" + kind.needs().name().toLowerCase(java.util.Locale.ROOT) + "`");
            }
        }
    }
}
