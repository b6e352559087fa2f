# sys for the simulated ESP32: the interpreter's own sys, with what identifies the board as an ESP32
# (MP ports/esp32/mpconfigport.h: MICROPY_PY_SYS_PLATFORM "esp32"; sys.implementation from
# py/modsys.c with the port's MICROPY_HW_BOARD_NAME / MCU_NAME and the xtensawin .mpy arch).
from sys import *  # noqa: F401,F403
from collections import namedtuple

from _errno import print_exception  # noqa: F401 - prints a board OSError as a board does

platform = "esp32"
# _mpy: MPY_VERSION 6 | MPY_SUB_VERSION 3 << 8 | MP_NATIVE_ARCH_XTENSAWIN (10) << 10
implementation = namedtuple("implementation", ("name", "version", "_machine", "_mpy", "_build"))(
    "micropython", (1, 27, 0, ""), "Generic ESP32 module with ESP32", 6 | 3 << 8 | 10 << 10, "ESP32_GENERIC"
)
