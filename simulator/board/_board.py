# The board support package of the simulated ESP32: the bridge to the host (sockets, Wi-Fi, pins,
# sleep), the heap budget, and the boot-time runner for boot.py and main.py. It lives outside the
# flash (in /.board, hidden from os.listdir) like a real board's frozen modules.
import gc
import json
import sys

import _errno
import _link

budget = 0
ballast = None  # native engine: the interpreter's heap beyond the board's budget, held back
# a micropython from the PATH on a 64-bit host: its objects take twice a 32-bit ESP32's bytes, so
# its heap is twice the budget and its figures are halved to the board's (native-engine.js engineOf)
scale = 1
reset_cause = 1
mac = b""
_base = 0
_high_water = 0
_reported = 0


def init(heap_budget, seed, cause, mac_hex, word_scale=1):
    global budget, reset_cause, mac, scale
    budget = heap_budget
    scale = word_scale
    reset_cause = cause
    mac = bytes.fromhex(mac_hex)
    if seed is not None:
        import random

        random.seed(seed)
    # Built-ins that a real ESP32 provides differently: its own sleep, urandom and heap figures.
    import _binascii
    import _gc
    import _hashlib
    import _os
    import _select
    import _time

    sys.modules["errno"] = _errno
    sys.modules["time"] = _time
    sys.modules["os"] = _os
    sys.modules["gc"] = _gc
    sys.modules["select"] = _select
    sys.modules["hashlib"] = _hashlib
    sys.modules["binascii"] = _binascii
    import _sys

    sys.modules["sys"] = _sys
    # On a board these are frozen into flash and cost no heap: load them before the baseline.
    import machine  # noqa: F401
    import network  # noqa: F401
    import socket  # noqa: F401
    import ssl  # noqa: F401


def heap_used():
    """Bytes the program holds (what the board-support modules hold at boot is not counted). On the
    WebAssembly engine, inside a running program this includes every object made since the program
    started: that port collects garbage only when control returns to its top level."""
    return max(0, gc.mem_alloc() - _base) // scale


def heap_free():
    if ballast is not None:  # the native engine's heap is the board's: what is free is free (in
        return gc.mem_free() // scale  # the areas it has now; on a board it can still grow)
    return max(0, budget - heap_used())


def largest_free():
    """The largest block the heap can give (native engine): found by allocating, as a program would."""
    lo, hi = 0, gc.mem_free()
    while lo < hi:
        mid = (lo + hi + 1) // 2
        try:
            block = bytearray(mid)
            del block
            lo = mid
        except MemoryError:
            hi = mid - 1
    gc.collect()  # the last block tried is garbage: the program gets its heap back as it was
    return lo // scale


def live_heap():
    """The heap read in the middle of the running program, after a collection, as the program's own
    gc.collect() and gc.mem_free() would read it; the host asked for it (answer "h")."""
    global _high_water
    gc.collect()
    used = heap_used()
    _high_water = max(_high_water, used)
    notify(event="heap", used=used, free=heap_free(), largest_free=largest_free(), high_water=_high_water, budget=budget, live=True)


def measure(baseline=False):
    """Called by the host at the top level right after a collection, so the figure is the live heap."""
    global _high_water, _base, _reported
    if baseline:
        _base = gc.mem_alloc()
        return 0
    live = heap_used()
    # Small differences are the measurement's own allocations: report only real changes.
    if live > _high_water or abs(live - _reported) > 256:
        _high_water = max(_high_water, live)
        _reported = live
        notify(event="heap", used=live, high_water=_high_water, budget=budget)
    return live


def call(op, *args, data=None):
    """Blocking request to the host; raises what a board would raise. `data`: bytes to send with it."""
    answer = json.loads(_link.request(op, json.dumps(args), data))
    if "h" in answer:
        live_heap()
    if "i" in answer:
        raise KeyboardInterrupt
    if "v" in answer:
        raise ValueError(answer["v"])
    err = answer.get("e")
    if err is not None:
        if isinstance(err, list):
            raise OSError(*err)
        raise _errno.OSError(err)
    return answer.get("r")


def call_bytes(op, *args):
    """A request whose answer is bytes."""
    n = call(op, *args)
    return _link.read(n) if n else b""


def call_into(buf, op, *args):
    """A request whose answer bytes go straight into buf (no allocation); returns how many."""
    n = call(op, *args)
    if n:
        _link.read_into(memoryview(buf)[:n])
    return n


def notify(**event):
    _link.notify(json.dumps(event))


def run_file(name):
    """Runs boot.py or main.py the way the ESP32 port does; returns "exit" for a soft reset, "error" for an exception."""
    try:
        with open(name) as f:
            source = f.read()
    except OSError:
        return None
    try:
        exec(compile(source, name, "exec"), {"__name__": "__main__", "__file__": name})
    except SystemExit:
        return "exit"
    except BaseException as e:  # noqa: B036 - a board prints every uncaught exception, then the REPL
        _errno.print_exception(e)
        return "error"
    return None
