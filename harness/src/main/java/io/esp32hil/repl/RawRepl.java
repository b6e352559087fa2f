package io.esp32hil.repl;

import io.esp32hil.console.ConsoleTimeoutException;
import io.esp32hil.console.SerialConsole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * MicroPython's raw REPL over any serial console: enter and leave it, run code with its output and
 * error text apart, and move files (verified by SHA-256). Uses raw-paste mode, with its flow
 * control, when the board offers it, and the plain raw REPL otherwise. Knows nothing of what is on
 * the other end of the console: a simulator, a USB board or a Wokwi simulation.
 */
public final class RawRepl {
    private static final String RAW_BANNER = "raw REPL; CTRL-B to exit\r\n>";
    private static final int CHUNK = 256;

    private final SerialConsole console;
    private final Duration timeout;
    private Boolean rawPaste; // null until the board has been asked

    public RawRepl(SerialConsole console, Duration timeout) {
        this.console = console;
        this.timeout = timeout;
    }

    /** A client on the console that has interrupted what runs and entered the raw REPL: how every device begins one. */
    public static RawRepl entered(SerialConsole console, Duration timeout) {
        RawRepl repl = new RawRepl(console, timeout);
        repl.enter();
        return repl;
    }

    /**
     * Interrupts whatever runs and enters the raw REPL. A board that is still booting may lose the
     * Ctrl-C, so this tries again; the Ctrl-A of a lost attempt can still be read later, and the
     * extra banner it prints is consumed here so the protocol stays in step.
     */
    public void enter() {
        Duration attemptTimeout = timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5);
        for (int attempt = 1; ; attempt++) {
            console.write(new byte[] {'\r', 3});
            console.write(new byte[] {'\r', 1});
            try {
                console.expect(RAW_BANNER, attemptTimeout);
                if (attempt > 1) {
                    swallowExtraBanners(attempt - 1);
                }
                return;
            } catch (ConsoleTimeoutException e) {
                if (attempt == 3) {
                    throw new ReplException("could not enter the raw REPL after 3 attempts: " + e.getMessage(), e);
                }
            }
        }
    }

    private void swallowExtraBanners(int atMost) {
        for (int i = 0; i < atMost; i++) {
            try {
                console.expect(RAW_BANNER, Duration.ofMillis(500));
            } catch (ConsoleTimeoutException e) {
                return; // that attempt's Ctrl-A was lost for good
            }
        }
    }

    /** Leaves the raw REPL for the friendly one. */
    public void exit() {
        console.write(new byte[] {'\r', 2});
        console.expect(">>> ", timeout);
    }

    /** Soft reset from the raw REPL: runs boot.py (not main.py) and comes back to the raw REPL. */
    public void softReset() {
        console.write(new byte[] {4});
        console.expect("soft reboot\r\n", timeout);
        console.expect(RAW_BANNER, timeout);
    }

    /** Runs code (the raw REPL must be entered); returns what it printed. */
    public ExecResult exec(String code) {
        byte[] bytes = code.getBytes(StandardCharsets.UTF_8);
        try {
            if (rawPaste == null || rawPaste) {
                sendRawPaste(bytes);
            } else {
                sendPlain(bytes);
            }
            byte[] out = console.readUntil((byte) 4, timeout);
            byte[] err = console.readUntil((byte) 4, timeout);
            console.expect(">", timeout);
            return new ExecResult(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (ConsoleTimeoutException e) {
            throw new ReplException("the board did not finish running code through the raw REPL: " + e.getMessage(), e);
        }
    }

    /** Runs code and fails with the board's traceback if it raised. */
    public String execOrThrow(String code) {
        ExecResult result = exec(code);
        if (result.failed()) {
            throw new RemoteException(result.stderr());
        }
        return result.stdout();
    }

    private void sendPlain(byte[] code) {
        for (int i = 0; i < code.length; i += CHUNK) {
            console.write(java.util.Arrays.copyOfRange(code, i, Math.min(code.length, i + CHUNK)));
        }
        console.write(new byte[] {4});
        console.expect("OK", timeout);
    }

    private void sendRawPaste(byte[] code) {
        console.write(new byte[] {5, 'A', 1});
        byte[] answer = console.readBytes(2, timeout);
        if (answer[0] == 'R' && answer[1] == 0) {
            rawPaste = false;
            sendPlain(code);
            return;
        }
        if (answer[0] != 'R' || answer[1] != 1) {
            // Firmware too old to know raw-paste: it has reset its raw REPL and printed the banner again.
            console.expect("w REPL; CTRL-B to exit\r\n>", timeout);
            rawPaste = false;
            sendPlain(code);
            return;
        }
        rawPaste = true;
        byte[] inc = console.readBytes(2, timeout);
        int increment = (inc[0] & 0xff) | (inc[1] & 0xff) << 8;
        int window = increment;
        int sent = 0;
        while (sent < code.length) {
            while (window == 0 || console.hasPending()) {
                byte b = console.readBytes(1, timeout)[0];
                if (b == 1) {
                    window += increment;
                } else if (b == 4) {
                    console.write(new byte[] {4}); // the board stopped reading: acknowledge and stop sending
                    sent = code.length;
                    break;
                } else {
                    throw new ReplException(String.format("unexpected byte 0x%02x from the board during raw-paste", b));
                }
            }
            int n = Math.min(window, code.length - sent);
            if (n > 0) {
                console.write(java.util.Arrays.copyOfRange(code, sent, sent + n));
                sent += n;
                window -= n;
            }
        }
        console.write(new byte[] {4});
        console.readUntil((byte) 4, timeout);
    }

    /** Writes a file on the board and checks its SHA-256 there. */
    public void put(String path, byte[] content) {
        execOrThrow("f=open(" + pyStr(path) + ",'wb')\nw=f.write");
        for (int i = 0; i < content.length; i += CHUNK) {
            byte[] chunk = java.util.Arrays.copyOfRange(content, i, Math.min(content.length, i + CHUNK));
            execOrThrow("w(" + pyBytes(chunk) + ")");
        }
        execOrThrow("f.close()\ndel f,w");
        String remote = sha256(path);
        String local = HexFormat.of().formatHex(digest(content));
        if (!remote.equals(local)) {
            throw new ReplException("file " + path + " on the board has SHA-256 " + remote + ", expected " + local);
        }
    }

    /** SHA-256 of a file on the board, in hex. */
    public String sha256(String path) {
        return execOrThrow("import hashlib,binascii\nh=hashlib.sha256()\nf=open(" + pyStr(path) + ",'rb')\n"
                + "while True:\n b=f.read(256)\n if not b: break\n h.update(b)\nf.close()\n"
                + "print(binascii.hexlify(h.digest()).decode())\ndel h,f,b").strip();
    }

    /** Reads a file from the board. */
    public byte[] get(String path) {
        String hex = execOrThrow("import binascii\nf=open(" + pyStr(path) + ",'rb')\n"
                + "while True:\n b=f.read(256)\n if not b: break\n print(binascii.hexlify(b).decode())\nf.close()\ndel f,b");
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    /** Names in a directory on the board (directories end with '/'). */
    public List<String> list(String dir) {
        String out = execOrThrow("import os\nfor e in os.ilistdir(" + pyStr(dir) + "):\n print(e[0] + ('/' if e[1] == 0x4000 else ''))");
        List<String> names = new ArrayList<>();
        for (String line : out.split("\r?\n")) {
            if (!line.isEmpty()) {
                names.add(line);
            }
        }
        return names;
    }

    public void remove(String path) {
        execOrThrow("import os\nos.remove(" + pyStr(path) + ")");
    }

    static String pyStr(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '\'') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    static String pyBytes(byte[] bytes) {
        StringBuilder sb = new StringBuilder("b'");
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '\\' || c == '\'') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('\'').toString();
    }

    private static byte[] digest(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
