package io.esp32hil.console;

import java.util.List;

/** What a wait on a console matched: the whole match, its groups, and the text the match skipped over. */
public record ConsoleMatch(List<String> groups, String before) {
    public String text() {
        return groups.get(0);
    }

    public String group(int i) {
        return groups.get(i);
    }
}
