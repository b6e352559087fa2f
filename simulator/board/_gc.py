# gc for the simulated ESP32: heap figures relative to the board's heap budget, as a board reports.
# On the native engine the heap is the board's own size, so its free figure is the interpreter's
# (in a 32-bit board's bytes).
from gc import *  # noqa: F401,F403
import gc as _gc

import _board


def mem_alloc():
    return _board.heap_used()


def mem_free():
    return _board.heap_free()
