# The ESP32's REPL for the native engine, whose interpreter (the Unix port) has another REPL of its
# own. It follows MicroPython's shared/runtime/pyexec.c and readline.c as an ESP32 runs them, byte
# for byte where a tool can tell: the friendly REPL (>>> , ... , Ctrl-A/B/C/D/E), the raw REPL
# (OK, \x04 framing) and raw-paste (MP docs "raw mode and raw-paste mode"; a 128-byte window,
# as the ESP32's 256-byte stdin buffer gives). The WebAssembly engine runs MicroPython's own REPL
# and src/repl-driver.js; a test holds the two engines to the same bytes.
import gc

import _board
import _errno
import _link

BANNER = 'MicroPython v1.27.0 on 2025-12-10; Generic ESP32 module with ESP32\r\nType "help()" for more information.\r\n'
RAW_BANNER = "raw REPL; CTRL-B to exit\r\n>"
WINDOW = 128
_COMPOUND = ("if", "while", "for", "try", "with", "def", "class", "async", "@")


class SoftReset(Exception):
    pass


class Repl:
    def __init__(self, out, raw):
        self.out = out  # the console stream
        self.raw = raw
        self.pending = b""
        self.prev = 0
        self.globals = {"__name__": "__main__"}

    # serial input, a byte at a time
    def byte(self):
        while not self.pending:
            try:
                self.pending = _board.call_bytes("repl_read")
            except KeyboardInterrupt:
                self.pending = b"\x03"
        b = self.pending[0]
        self.pending = self.pending[1:]
        return b

    def write(self, text):
        self.out.write(text)

    def run(self):
        """Runs until a soft reset is asked for; returns True when it came from the raw REPL."""
        try:
            self.write(RAW_BANNER if self.raw else BANNER + ">>> ")
            while True:
                try:
                    if self.raw:
                        self.raw_step()
                    else:
                        self.friendly_step()
                except KeyboardInterrupt:
                    # a Ctrl-C meant for a program that had just ended: the line is dropped
                    self.write("" if self.raw else "\r\n>>> ")
        except SoftReset:
            return self.raw

    # -- the friendly REPL (pyexec_friendly_repl, readline)
    def friendly_step(self):
        text = ""
        line = ""
        while True:
            b = self.byte()
            if b == 10:  # Enter on a bare LF, not on the LF of a CR LF
                after_cr = self.prev == 13
                self.prev = b
                if after_cr:
                    continue
                b = 13
            self.prev = b
            if b == 1 and not text and not line:
                self.write("\r\n")
                self.raw = True
                self.write(RAW_BANNER)
                return
            if b == 2 and not text and not line:
                self.write("\r\n" + BANNER + ">>> ")
                return
            if b == 3:
                self.write("\r\n>>> ")
                return
            if b == 4:
                if not text and not line:
                    self.write("\r\n")
                    raise SoftReset
                continue
            if b == 5 and not text and not line:
                self.paste_mode()
                return
            if b in (8, 127):
                if line:
                    line = line[:-1]
                    self.write("\b\x1b[K")  # readline.c: cursor left, erase to the end of the line
                continue
            if b == 13:
                self.write("\r\n")
                text = text + "\n" + line if text else line
                line = ""
                if _needs_more(text):
                    self.write("... ")
                    continue
                if text.strip():
                    self.execute(text, single=True)
                self.write(">>> ")
                return
            if b >= 32 or b == 9:
                line += chr(b)
                self.write(chr(b))

    def paste_mode(self):
        self.write("\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== ")
        code = []
        while True:
            b = self.byte()
            if b == 3:
                self.write("\r\n>>> ")
                return
            if b == 4:
                self.write("\r\n")
                self.execute(bytes(code).decode(), single=False)
                self.write(">>> ")
                return
            code.append(b)
            if b == 13:
                self.write("\r\n=== ")
            elif b != 10:
                self.write(chr(b))

    # -- the raw REPL (pyexec_raw_repl)
    def raw_step(self):
        code = []
        while True:
            b = self.byte()
            if b == 1:
                self.write(RAW_BANNER)
                return
            if b == 5 and not code:
                self.raw_paste_request()
                return
            if b == 2:
                self.write("\r\n")
                self.raw = False
                self.write(BANNER + ">>> ")
                return
            if b == 3:
                code = []
                continue
            if b == 4:
                self.write("OK")
                if not code:
                    self.write("\r\n")
                    raise SoftReset
                self.raw_execute(bytes(code))
                return
            code.append(b)

    def raw_paste_request(self):
        if self.byte() != 0x41 or self.byte() != 1:
            self.write("R\x00")
            return
        self.out.write_bytes(bytes((0x52, 0x01, WINDOW & 0xFF, WINDOW >> 8, 0x01)))
        code = []
        since = 0
        while True:
            b = self.byte()
            if b == 3:
                self.out.write_bytes(b"\x04")
                return
            if b == 4:
                self.out.write_bytes(b"\x04")
                self.raw_execute(bytes(code))
                return
            code.append(b)
            since += 1
            if since == WINDOW:
                since = 0
                self.out.write_bytes(b"\x01")

    def raw_execute(self, source):
        error = None
        try:
            running(True)
            exec(compile(source, "<stdin>", "exec"), self.globals)
        except SystemExit:
            self.write("\x04\x04")
            raise SoftReset
        except BaseException as e:  # noqa: B036 - the raw REPL reports every exception
            error = e
        running(False)
        self.write("\x04")
        if error is not None:
            _errno.print_exception(error, self.out)
        self.write("\x04>")
        _measure()

    def execute(self, text, single):
        try:
            running(True)
            if single:
                try:
                    code = compile(text, "<stdin>", "eval")
                except SyntaxError:
                    code = None
                if code is not None:
                    value = eval(code, self.globals)
                    running(False)
                    if value is not None:
                        self.write(repr(value) + "\n")
                    _measure()
                    return
            exec(compile(text, "<stdin>", "exec"), self.globals)
            running(False)
        except SystemExit:
            raise SoftReset
        except BaseException as e:  # noqa: B036 - the REPL reports every exception
            running(False)
            _errno.print_exception(e, self.out)
        _measure()


def running(on):
    """Tells the host whether a program runs (a Ctrl-C is then a signal) or the REPL reads (then input)."""
    _link.message('{"t":"running","on":%s}' % ("true" if on else "false"))


def _measure():
    gc.collect()
    _board.measure()


def _needs_more(text):
    """MicroPython's mp_repl_continue_with_input: open brackets or strings, a trailing backslash, or
    a compound statement not yet ended by an empty line."""
    depth = 0
    quote = None
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif text.startswith(quote, i):
                i += len(quote) - 1
                quote = None
        elif c == "#":
            while i < len(text) and text[i] != "\n":
                i += 1
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote) - 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        i += 1
    if quote and len(quote) == 3 or depth > 0 or text.endswith("\\"):
        return True
    lines = text.split("\n")
    first = lines[0].lstrip()
    starts = any(first.startswith(k) and (len(first) == len(k) or not first[len(k)].isalnum()) for k in _COMPOUND)
    if starts or lines[-1].rstrip().endswith(":"):
        return lines[-1].strip() != "" or len(lines) == 1
    return False
