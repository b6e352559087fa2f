# os for the simulated ESP32: MicroPython's WebAssembly os has no urandom; the ESP32 has one.
from os import *  # noqa: F401,F403

import random


def urandom(n):
    # random is seeded from the host at boot, or from --seed for reproducible runs.
    return bytes(random.getrandbits(8) for _ in range(n))


from collections import namedtuple

# On the board an attribute tuple (MP ports/esp32 uses py/modos.c's uname with the port's strings).
_uname = namedtuple("uname_result", ("sysname", "nodename", "release", "version", "machine"))(
    "esp32", "esp32", "1.27.0", "v1.27.0 on 2025-12-10", "Generic ESP32 module with ESP32"
)


def uname():
    return _uname
