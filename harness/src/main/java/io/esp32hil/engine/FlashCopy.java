package io.esp32hil.engine;

import io.esp32hil.deploy.FirmwareBundle;
import io.esp32hil.secrets.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The copy of a board's flash that a report keeps: every file as the board left it, with the run's
 * credentials redacted, and config.py written again from the settings as they may be shown.
 */
final class FlashCopy {
    private FlashCopy() {}

    static void save(Path flash, Path into, Secrets secrets, Map<String, ?> shownSettings) throws IOException {
        try (Stream<Path> files = Files.walk(flash)) {
            for (Path f : files.sorted().toList()) {
                Path rel = flash.relativize(f);
                Path target = into.resolve(rel.toString());
                if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    byte[] content = rel.toString().equals(FirmwareBundle.CONFIG)
                            ? FirmwareBundle.configText(shownSettings).getBytes(StandardCharsets.UTF_8)
                            : secrets.redact(Files.readAllBytes(f));
                    Files.createDirectories(target.getParent());
                    Files.write(target, content);
                }
            }
        }
    }
}
