# gc for the simulated ESP32: heap figures relative to the board's heap budget, as a board reports.
from gc import *  # noqa: F401,F403

import _board


def mem_alloc():
    return _board.heap_used()


def mem_free():
    return max(0, _board.budget - _board.heap_used())
