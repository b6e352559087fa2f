# select for the simulated ESP32: poll() waits in the host on the board's sockets (no busy loop),
# as lwIP's select does on a board. Other streams go to MicroPython's own poll.
from select import *  # noqa: F401,F403
from select import poll as _builtin_poll

import _board
import _errno

POLLIN = 1
POLLOUT = 4
POLLERR = 8
POLLHUP = 16


def _sock_id(obj):
    inner = getattr(obj, "_sock", obj)  # an SSLSocket polls through its TCP socket
    return getattr(inner, "_id", None)


class _Poll:
    def __init__(self):
        self._objs = {}  # obj -> event mask
        self._other = None

    def register(self, obj, eventmask=POLLIN | POLLOUT):
        if _sock_id(obj) is None:
            if self._other is None:
                self._other = _builtin_poll()
            self._other.register(obj, eventmask)
        self._objs[obj] = eventmask

    def modify(self, obj, eventmask):
        if obj not in self._objs:
            raise _errno.OSError(_errno.ENOENT)  # as MicroPython raises
        self.register(obj, eventmask)

    def unregister(self, obj):
        self._objs.pop(obj, None)
        if self._other is not None and _sock_id(obj) is None:
            self._other.unregister(obj)

    def poll(self, timeout=-1):
        socks = [(o, m) for o, m in self._objs.items() if _sock_id(o) is not None]
        if self._other is not None and len(socks) < len(self._objs):
            if socks:
                raise _errno.OSError(_errno.EOPNOTSUPP)  # polling sockets together with other streams is not modelled
            return self._other.poll(timeout)
        if timeout is None or timeout < 0:
            timeout = -1
        ids = {}
        for o, m in socks:
            ids[_sock_id(o)] = o
        # bytes that a TLS socket has decrypted already count as readable, whatever the TCP has
        pending = [o for o, m in socks if m & POLLIN and hasattr(o, "_pending") and o._pending()]
        if pending:
            timeout = 0
        ready = _board.call("sock_poll", [[_sock_id(o), m | POLLERR | POLLHUP] for o, m in socks], int(timeout))
        events = {ids[i]: ev for i, ev in ready if i in ids}
        for o in pending:
            events[o] = events.get(o, 0) | POLLIN
        return list(events.items())

    def ipoll(self, timeout=-1, flags=0):
        return iter(self.poll(timeout))


def poll():
    return _Poll()


def select(rlist, wlist, xlist, timeout=None):
    p = _Poll()
    for o in rlist:
        p.register(o, POLLIN)
    for o in wlist:
        p.register(o, p._objs.get(o, 0) | POLLOUT)
    ms = -1 if timeout is None else int(timeout * 1000)
    ready = p.poll(ms)
    r = [o for o, ev in ready if o in rlist and ev & (POLLIN | POLLERR | POLLHUP)]
    w = [o for o, ev in ready if o in wlist and ev & (POLLOUT | POLLERR)]
    return r, w, []
