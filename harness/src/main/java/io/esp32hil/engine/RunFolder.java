package io.esp32hil.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A run's own folder under the reports root, and the only things the harness ever deletes: what is
 * strictly inside it. Two runs never share one: the folder is created atomically, with a suffix
 * when another run took the name first.
 */
public final class RunFolder {
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunFolder() {}

    /** A folder that cannot be created: the root is not writable, not a folder, or the disk is full. */
    public static final class Unwritable extends RuntimeException {
        Unwritable(String message) {
            super(message);
        }
    }

    /** Creates a new folder for a run under root (named by the time, then -2, -3, ... if taken) and returns its id. */
    public static String create(Path root, LocalDateTime now) {
        String base = now.format(ID);
        try {
            Files.createDirectories(root);
            for (int n = 1; ; n++) {
                String id = n == 1 ? base : base + "-" + n;
                try {
                    Files.createDirectory(root.resolve(id));
                    return id;
                } catch (FileAlreadyExistsException taken) {
                    // another run started in the same second: take the next suffix
                }
            }
        } catch (IOException e) {
            throw new Unwritable("cannot create a report folder in " + root + " (" + io.esp32hil.scenario.FileErrors.plain(e) + ")");
        }
    }

    /**
     * Deletes child, which must be a folder directly inside runDir, and everything in it; a symbolic
     * link is removed as a link, never followed.
     */
    public static void clearChild(Path runDir, Path child) {
        Path parent = child.toAbsolutePath().normalize().getParent();
        if (parent == null || !parent.equals(runDir.toAbsolutePath().normalize()) || child.getFileName().toString().startsWith(".")) {
            throw new IllegalArgumentException("refusing to delete " + child + ": it is not a folder inside the run folder " + runDir);
        }
        if (!Files.exists(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            deleteTree(child);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + child + " for a new run", e);
        }
    }

    /** Deletes a folder and everything in it; links inside are removed as links, never followed. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
