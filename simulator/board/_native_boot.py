# The native engine's boot: what the ESP32 port's main.c does between reset and the REPL, run by
# MicroPython's Unix port as its program. The host passes the board's settings as JSON; a soft
# reboot ends this process and the host starts a new one (a fresh heap, as gc_sweep_all leaves).
import builtins
import gc
import json
import os
import sys

cfg = json.loads(os.getenv("HIL_BOARD"))
try:
    import _native  # our build's C module (native/cmodules/native)
except ImportError:
    _native = None  # a micropython from the PATH

# The board's heap is taken first, as one block, while the heap is still nearly empty; the
# board-support modules load beside it (on a board they are C or frozen code and leave no holes in
# the heap), and it is given back to the program once they are in (below). With our build that is
# the ESP32 port's first heap area, 56 KB less its allocation tables (MP ports/esp32/mpconfigport.h
# MICROPY_GC_INITIAL_HEAP_SIZE); the rest of the budget comes as areas added on demand.
_first = min(cfg["heap_budget"], 56 * 1024) if _native else cfg["heap_budget"]
gc.collect()
_region = bytearray(_first * 125 // 128 if _native else _first * cfg["word_scale"])

# The board dies with its simulator process however that ends, SIGKILL included (PR_SET_PDEATHSIG);
# an interpreter without our module notices at its next request instead, when its pipes are closed.
if _native and not _native.die_with_parent(cfg["parent"]):
    sys.exit(1)  # the simulator was gone before the signal was set

# The flash is the file system's root, and the board-support modules sit outside it, as frozen
# modules do on a board.
os.umount("/")
os.mount(os.VfsPosix(cfg["flash"]), "/")
if "/" in __file__:
    # an interpreter without them frozen in (a micropython from the PATH) imports them from here,
    # which then shows as a folder in the flash (os.listdir("/") lists ".board")
    os.mount(os.VfsPosix(cfg["board"]), "/.board")
os.chdir("/")
sys.path[:] = ["", ".frozen", "/lib", "/.board"]

import _link_native  # noqa: E402

sys.modules["_link"] = _link_native


class _errno_table:
    errorcode = {int(k): v for k, v in cfg["errno"].items()}


sys.modules["_errno_table"] = _errno_table

import _board  # noqa: E402
import _console  # noqa: E402

_board.init(cfg["heap_budget"], cfg["seed"], cfg["reset_cause"], cfg["mac"], cfg["word_scale"])
builtins.print = _console.board_print
sys.modules["sys"].stdout = sys.modules["sys"].stderr = _console.stdout

import _repl  # noqa: E402 - before the heap is measured: on a board the REPL costs no heap



def _hold_the_rest():
    """Fills what is free beside the board's block, the holes the modules left included, largest
    pieces first, so that the program's heap is the board's block and nothing else."""
    held = [None] * 2048  # allocated before the filling, so that its growth cannot land anywhere
    n = 0
    size = 1 << 20
    while size >= 16 and n < len(held):
        try:
            held[n] = bytearray(size)
            n += 1
        except MemoryError:
            size //= 2
    while n < len(held):  # then the one-block holes, each with the smallest object there is
        try:
            held[n] = (n,)
            n += 1
        except MemoryError:
            break
    return held


gc.collect()
_board.ballast = _hold_the_rest()
_region = None
gc.collect()
_board.measure(True)
if _native:
    _native.set_heap_room(cfg["heap_budget"] - _first)

_raw = cfg["raw"]


def _start():
    """boot.py, then main.py unless boot.py raised or the board came back into the raw REPL
    (MP ports/esp32/main.c:161-166); True when they asked for a soft reset."""
    _repl.running(True)  # from now on a Ctrl-C interrupts them (before, the host keeps it for later)
    boot = _board.run_file("boot.py")
    reset = boot == "exit"
    if not reset and not _raw and boot != "error":
        reset = _board.run_file("main.py") == "exit"
    _repl.running(False)
    return reset


try:
    _reset = _start()
except KeyboardInterrupt:  # a Ctrl-C that came just as main.py ended
    _repl.running(False)
    _reset = False
if not _reset:
    _raw = _repl.Repl(_console.stdout, _raw).run()
_console.stdout.write("MPY: soft reboot\n")
_link_native.message(json.dumps({"t": "soft_reboot", "raw": _raw}))
