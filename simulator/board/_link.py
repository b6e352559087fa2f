# The WebAssembly engine's link to the host: a request blocks this thread until the host thread
# answers (src/board-worker.js). Bytes travel through two in-memory files, not as text, so a socket
# call allocates on this heap about what it would on a board.
import js

_TX = "/.board/.tx"
_RX = "/.board/.rx"


def request(op, args_json, data):
    """Returns the answer's JSON text; its bytes, if any, are read with read() or read_into()."""
    if data is not None:
        with open(_TX, "wb") as f:
            f.write(data)
    return js.hil_call(op, args_json, data is not None)


def read(n):
    with open(_RX, "rb") as f:
        return f.read(n)


def read_into(buf):
    with open(_RX, "rb") as f:
        return f.readinto(buf)


def notify(event_json):
    js.hil_notify(event_json)
