package io.esp32hil.device;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How an access point goes away, as a board sees it: silently (powered off or out of range: the
 * station keeps its association until its inactive time, 6 s by default, then drops it) or with a
 * deauthentication (a graceful shutdown: the station knows at once).
 */
public enum WifiLoss {
    SILENT,
    DEAUTH;

    /** The word in scenario files and on the simulator's control channel. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WifiLoss> of(String word) {
        return Arrays.stream(values()).filter(m -> m.word().equals(word)).findFirst();
    }

    public static String words() {
        return String.join(" or ", Arrays.stream(values()).map(WifiLoss::word).toList());
    }
}
