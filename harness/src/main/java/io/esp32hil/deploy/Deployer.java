package io.esp32hil.deploy;

import io.esp32hil.device.Device;
import io.esp32hil.device.DeviceException;
import io.esp32hil.device.ResetMethod;
import io.esp32hil.repl.RawRepl;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Puts files on a board through its raw REPL, the same way on every target: interrupts what runs,
 * compares SHA-256 hashes in one round trip, writes only the files that differ (each verified by
 * hash), then resets the board so boot.py and main.py really run.
 */
public final class Deployer {

    /** What a deployment did. */
    public record Result(List<String> written, List<String> unchanged, ResetMethod reset) {}

    private Deployer() {}

    public static Result deploy(Device device, Map<String, byte[]> files) {
        RawRepl repl = device.interruptToRepl();
        checkLoadable(repl, files);
        Map<String, String> remote = remoteHashes(repl, files.keySet());
        List<String> written = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (sha256(f.getValue()).equals(remote.get(f.getKey()))) {
                unchanged.add(f.getKey());
            } else {
                repl.put(f.getKey(), f.getValue());
                written.add(f.getKey());
            }
        }
        // MicroPython imports X.py before X.mpy: a compiled module's old source must go
        List<String> shadowing = files.keySet().stream().filter(p -> p.endsWith(".mpy")).map(p -> p.replaceFirst("\\.mpy$", ".py"))
                .filter(p -> !files.containsKey(p)).toList();
        if (!shadowing.isEmpty()) {
            StringBuilder code = new StringBuilder("import os\n");
            for (String p : shadowing) {
                code.append("try:\n os.remove(").append(pyStr(p)).append(")\nexcept OSError:\n pass\n");
            }
            repl.execOrThrow(code.toString());
        }
        repl.exit();
        ResetMethod how = device.reset();
        return new Result(written, unchanged, how);
    }

    /** A compiled module must be of the .mpy format the board's MicroPython reads (its version's). */
    static void checkLoadable(RawRepl repl, Map<String, byte[]> files) {
        if (files.keySet().stream().noneMatch(p -> p.endsWith(".mpy"))) {
            return;
        }
        String out = repl.execOrThrow("import sys\nprint(getattr(sys.implementation, '_mpy', 0))").strip();
        int board = Integer.parseInt(out.substring(out.lastIndexOf('\n') + 1).strip());
        files.forEach((path, content) -> {
            if (path.endsWith(".mpy") && !MpyCross.loadableBy(content, board)) {
                throw new DeviceException("the board's MicroPython loads .mpy version " + (board & 0xFF) + "." + (board >> 8 & 3) + ", and "
                        + path + " is version " + MpyCross.versionOf(content) + ": give -Dhil.mpy.cross an mpy-cross of the board's MicroPython version");
            }
        });
    }

    /** Path to hex SHA-256 for each file that exists on the board. */
    static Map<String, String> remoteHashes(RawRepl repl, Iterable<String> paths) {
        StringBuilder code = new StringBuilder("import hashlib,binascii\ndef _h(p):\n try:\n  f=open(p,'rb')\n except OSError:\n  return '-'\n"
                + " h=hashlib.sha256()\n while True:\n  b=f.read(256)\n  if not b: break\n  h.update(b)\n f.close()\n"
                + " return binascii.hexlify(h.digest()).decode()\n");
        for (String p : paths) {
            code.append("print(").append(pyStr(p)).append(", _h(").append(pyStr(p)).append("))\n");
        }
        code.append("del _h");
        Map<String, String> hashes = new HashMap<>();
        for (String line : repl.execOrThrow(code.toString()).split("\r?\n")) {
            int space = line.lastIndexOf(' ');
            if (space > 0 && !line.endsWith(" -")) {
                hashes.put(line.substring(0, space), line.substring(space + 1).strip());
            }
        }
        return hashes;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pyStr(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
