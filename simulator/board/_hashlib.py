# hashlib for the simulated ESP32: the board has sha1 and md5 (from mbedTLS) besides sha256; this
# WebAssembly build has only sha256, so the other two are computed by the host.
from hashlib import sha256  # noqa: F401

import _board


class _HostHash:
    def __init__(self, data=b""):
        self._data = bytearray(data)

    def update(self, data):
        self._data.extend(data)

    def digest(self):
        return bytes.fromhex(_board.call("hash", self._name, self._data.hex()))


class sha1(_HostHash):
    _name = "sha1"


class md5(_HostHash):
    _name = "md5"
