package io.esp32hil.scenario;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** File-system failures in the words a user reads: "permission denied", "is not a folder", never an exception's name. */
public final class FileErrors {
    private FileErrors() {}

    public static String plain(IOException e) {
        String file = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() + ": " : "";
        if (e instanceof AccessDeniedException) {
            return file + "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return file + "no such file or folder";
        }
        if (e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException) {
            return file + "is not a folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            String reason = f.getReason().toLowerCase(java.util.Locale.ROOT);
            return file + switch (reason) {
                case "not a directory" -> "is not a folder";
                case "is a directory" -> "is a folder";
                case "no space left on device" -> "the disk is full";
                default -> reason;
            };
        }
        return e.getMessage() == null ? "input/output error" : e.getMessage();
    }
}
