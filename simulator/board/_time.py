# time for the simulated ESP32: sleeps block in the host (no busy loop) and stay interruptible.
from time import *  # noqa: F401,F403 - ticks_ms, localtime and the rest come from MicroPython

import _board


def sleep_ms(ms):
    _board.call("sleep", int(ms))


def sleep(seconds):
    sleep_ms(seconds * 1000)


def sleep_us(us):
    sleep_ms(us / 1000)
