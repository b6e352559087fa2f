# errno for the simulated ESP32. The ESP32 port takes its numbers from newlib, not MicroPython's
# internal (Linux) table (MP ports/esp32/mpconfigport.h:68, MICROPY_USE_INTERNAL_ERRNO 0), so
# ETIMEDOUT is 116 and ECONNABORTED 113 on a board. The names and the errorcode table are those
# of MP py/moderrno.c; the numbers are newlib's sys/errno.h.
import io
import sys

EPERM = 1
ENOENT = 2
EIO = 5
EBADF = 9
EAGAIN = 11
ENOMEM = 12
EACCES = 13
EEXIST = 17
ENODEV = 19
EISDIR = 21
EINVAL = 22
EOPNOTSUPP = 95
ECONNRESET = 104
ENOBUFS = 105
ECONNREFUSED = 111
EADDRINUSE = 112
ECONNABORTED = 113
ETIMEDOUT = 116
EHOSTUNREACH = 118
EINPROGRESS = 119
EALREADY = 120
ENOTCONN = 128

errorcode = {v: k for k, v in globals().items() if k.startswith("E") and isinstance(v, int)}

_native_print_exception = sys.print_exception


class OSError(OSError):
    """An OSError the board model raises, printed as a board prints it: this interpreter would name
    its numbers from its own Linux table (113 as EHOSTUNREACH, 116 not at all)."""

    def __str__(self):
        if len(self.args) == 1 and self.args[0] in errorcode:
            return "[Errno %d] %s" % (self.args[0], errorcode[self.args[0]])
        return super().__str__()


def print_exception(exc, file=sys.stdout):
    """sys.print_exception, with a board OSError's last line as a board prints it."""
    if not isinstance(exc, OSError):
        _native_print_exception(exc, file)
        return
    text = io.StringIO()
    _native_print_exception(exc, text)
    lines = text.getvalue().rstrip("\n").split("\n")
    lines[-1] = "OSError: " + str(exc)
    file.write("\n".join(lines) + "\n")
