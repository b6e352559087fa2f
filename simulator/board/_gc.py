# gc for the simulated ESP32: heap figures relative to the board's heap budget, as a board reports.
# On the native engine the heap is the board's own size, so its free figure is the interpreter's.
from gc import *  # noqa: F401,F403
import gc as _gc

import _board


def mem_alloc():
    return _board.heap_used()


def mem_free():
    if _board.ballast is not None:
        return _gc.mem_free()
    return max(0, _board.budget - _board.heap_used())
