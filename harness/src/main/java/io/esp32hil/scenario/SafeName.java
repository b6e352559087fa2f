package io.esp32hil.scenario;

import java.util.regex.Pattern;

/**
 * Names that become file and folder names (scenarios, backends): letters, digits, '.', '_' and '-',
 * starting with a letter or digit, so no name can be empty, '.', '..', absolute, or hold a separator.
 */
public final class SafeName {
    public static final int MAX_LENGTH = 80;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private SafeName() {}

    public static boolean isSafe(String name) {
        return name != null && SAFE.matcher(name).matches();
    }

    /** Why the name cannot be used, for an error message; null when it can. */
    public static String problem(String what, String name) {
        if (isSafe(name)) {
            return null;
        }
        return what + " is used for file names, so it must be 1 to " + MAX_LENGTH + " letters, digits, '.', '_' or '-', starting with a letter or digit, not '"
                + printable(name) + "'";
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String shown = s.length() > MAX_LENGTH + 10 ? s.substring(0, MAX_LENGTH) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
