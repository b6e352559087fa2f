# errno for the simulated ESP32. The ESP32 port takes its numbers from newlib, not MicroPython's
# internal (Linux) table (MP ports/esp32/mpconfigport.h:68, MICROPY_USE_INTERNAL_ERRNO 0), so
# ETIMEDOUT is 116 and ECONNABORTED 113 on a board. The names and the errorcode table are those
# of MP py/moderrno.c; the numbers are newlib's sys/errno.h (the table is src/errors.js's).
import io
import sys

from _errno_table import errorcode  # written by the host from src/errors.js

for _n, _name in errorcode.items():
    globals()[_name] = _n
del _n, _name

_native_print_exception = sys.print_exception


class OSError(OSError):
    """An OSError the board model raises, printed as a board prints it: this interpreter would name
    its numbers from its own Linux table (113 as EHOSTUNREACH, 116 not at all)."""

    def __str__(self):
        if len(self.args) == 1 and self.args[0] in errorcode:
            return "[Errno %d] %s" % (self.args[0], errorcode[self.args[0]])
        return super().__str__()


def print_exception(exc, file=None):
    """sys.print_exception, with a board OSError's last line as a board prints it."""
    if file is None:
        file = sys.modules["sys"].stdout  # the board's sys, whose stdout is the console
    text = io.StringIO()  # written whole, so the console gets the traceback's lines whole
    _native_print_exception(exc, text)
    if not isinstance(exc, OSError):
        file.write(text.getvalue())
        return
    lines = text.getvalue().rstrip("\n").split("\n")
    lines[-1] = "OSError: " + str(exc)
    file.write("\n".join(lines) + "\n")
