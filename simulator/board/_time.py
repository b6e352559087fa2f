# time for the simulated ESP32: sleeps block in the host (no busy loop) and stay interruptible, and
# the clock is the board's: seconds since 2000-01-01 (MP py/mpconfig.h MICROPY_EPOCH_IS_1970 is 0 on
# the ESP32), an int from power-on unless set (MP ports/esp32/modtime.c), no time zone.
from time import *  # noqa: F401,F403 - ticks_ms and the rest come from MicroPython
from time import gmtime as _gmtime_1970, mktime as _mktime_1970

import _board

_EPOCH_2000 = 946684800  # this interpreter's own epoch is 1970


def time():
    return _board.call("rtc_ms") // 1000


def time_ns():
    return _board.call("rtc_ms") * 1000000


def gmtime(secs=None):
    # an 8-tuple, as on a board (the Unix port's has a ninth, tm_isdst)
    return _gmtime_1970((time() if secs is None else int(secs)) + _EPOCH_2000)[:8]


localtime = gmtime


def mktime(t):
    return _mktime_1970(t) - _EPOCH_2000


def sleep_ms(ms):
    _board.call("sleep", int(ms))


def sleep(seconds):
    sleep_ms(seconds * 1000)


def sleep_us(us):
    sleep_ms(us / 1000)
