# binascii for the simulated ESP32: this WebAssembly build ships a slow pure-Python binascii whose
# a2b_base64 refuses str; the board's C module takes either and is fast, so mirror that.
from binascii import a2b_base64 as _a2b_base64
from binascii import b2a_base64  # noqa: F401
from binascii import crc32  # noqa: F401


def a2b_base64(data):
    return _a2b_base64(data.encode() if isinstance(data, str) else data)


def hexlify(data, sep=None):
    h = bytes(data).hex()
    if sep:
        sep = sep if isinstance(sep, str) else sep.decode()
        h = sep.join(h[i:i + 2] for i in range(0, len(h), 2))
    return h.encode()


def unhexlify(data):
    return bytes.fromhex(data.decode() if isinstance(data, (bytes, bytearray)) else data)
