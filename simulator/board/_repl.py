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
_COMPOUND = ("if", "while", "for", "try", "with", "def", "class", "async")


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
        indented = False  # the spaces at the start of this line are readline's own
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
                if text and not line:  # ends a compound statement: it runs
                    self.execute(text, single=True)
                    self.write(">>> ")
                    return
                continue
            if b == 5 and not text and not line:
                self.paste_mode()
                return
            if b in (8, 127):
                if line:
                    # readline.c: a whole indent level at once when only spaces are before the cursor;
                    # cursor left, then erase to the end of the line
                    n = 4 if len(line) >= 4 and line.strip(" ") == "" else 1
                    line = line[:-n]
                    self.write("\b" * n + "\x1b[K")
                indented = False
                continue
            if indented and b == 32:  # a space just after the auto-indent takes three of its four back
                line = line[:-3]
                self.write("\b\b\b")
                indented = False
                continue
            indented = False
            if b == 13:
                self.write("\r\n")
                text = text + "\n" + line if text else line
                line = ""
                if _needs_more(text):
                    line = _auto_indent(text)
                    indented = line != ""
                    self.write("... " + line)
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
                # the REPL's input is one statement, as MP_PARSE_SINGLE_INPUT has it (a SyntaxError
                # otherwise); it runs here as an expression whose value is shown, or as statements
                compile(text, "<stdin>", "single")
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
    # a compound statement goes on until its last line is empty (spaces are not empty)
    return (text.startswith("@") or any(_starts_with_word(text, k) for k in _COMPOUND)) and not text.endswith("\n")


def _starts_with_word(text, word):
    if not text.startswith(word) or len(text) == len(word):
        return text == word
    c = text[len(word)]
    return not (c.isalpha() or c.isdigit() or c == "_")


def _auto_indent(text):
    """The spaces readline puts at the start of a continuation line (readline_auto_indent): the
    last line's indent, one level more after a colon; none when the last two lines are blank."""
    lines = text.split("\n")
    last = lines[-1]
    spaces = len(last) - len(last.lstrip(" "))
    if len(lines) > 1 and spaces == len(last) and lines[-2].strip(" ") == "":
        return ""
    return "    " * (spaces // 4 + (1 if last.endswith(":") else 0))
