# The native engine's link to the host: a request is a frame on fd 3, its answer a frame on fd 4
# (src/native-engine.js): two 4-byte big-endian lengths, then JSON text and raw bytes. The answer's
# bytes stay in the pipe until the caller reads them, straight into its buffer when it has one.
# Our build does the framing in C (native/cmodules/native), where a Ctrl-C cannot cut a frame; a
# micropython from the PATH lacks it and frames in Python, where a KeyboardInterrupt that comes in
# the middle of reading an answer's header can still lose the stream's place.
try:
    from _native import message as _message, read, read_into, request as _request, take_sigint

    take_sigint()
except ImportError:
    import struct

    _to_host = open(3, "wb")
    _from_host = open(4, "rb")
    _head = bytearray(8)
    _unread = 0  # bytes of the last answer not read yet
    _owed = 0  # answers to requests a KeyboardInterrupt left unread

    def _skip(n):
        while n:
            n -= len(_from_host.read(min(n, 4096)))

    def _answer():
        global _unread
        _from_host.readinto(_head)
        n, _unread = struct.unpack(">II", _head)
        return _from_host.read(n)

    def _frame(body, data=None):
        size = 0 if data is None else len(data)
        _to_host.write(struct.pack(">II", len(body), size) + body)
        if size:
            _to_host.write(data)

    def _request(body, data):
        global _unread, _owed
        _skip(_unread)
        _unread = 0
        while _owed:  # the host answers every request, also one the interrupt abandoned
            _answer()
            _skip(_unread)
            _owed -= 1
        _frame(body, data)
        _owed += 1
        text = _answer()
        _owed -= 1
        return text

    def _message(body):
        _frame(body)

    def read(n):
        global _unread
        n = min(n, _unread)
        data = _from_host.read(n) if n else b""
        _unread -= len(data)
        return data

    def read_into(buf):
        global _unread
        n = min(len(buf), _unread)
        got = _from_host.readinto(memoryview(buf)[:n]) if n else 0
        _unread -= got
        return got


def request(op, args_json, data):
    """Returns the answer's JSON text; its bytes, if any, are read with read() or read_into()."""
    return _request(b'{"t":"call","op":"' + op.encode() + b'","a":' + args_json.encode() + b"}", data)


def notify(event_json):
    _message(b'{"t":"event","event":' + event_json.encode() + b"}")


def message(json_text):
    """A message that needs no answer (a soft reboot, say)."""
    _message(json_text.encode())
