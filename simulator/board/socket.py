# socket for the simulated ESP32: real TCP connections owned by the host. Errors carry the errno
# values that MicroPython on an ESP32 raises.
import _board
import _errno

AF_INET = 2
AF_INET6 = 10
SOCK_STREAM = 1
SOCK_DGRAM = 2
SOCK_RAW = 3
IPPROTO_IP = 0
IPPROTO_TCP = 6
IPPROTO_UDP = 17
SOL_SOCKET = 0xFFF
SO_REUSEADDR = 4
TCP_NODELAY = 1


def getaddrinfo(host, port, af=0, type=0, proto=0, flags=0):
    # The board's tuple: family and type, the proto of the hints (0 unless given) and the host as
    # canonname (MP ports/esp32/modsocket.c:930-986); an IP literal resolves without DNS.
    ip = _board.call("dns", host)
    return [(AF_INET, type or SOCK_STREAM, proto, host, (ip, port))]


class socket:
    def __init__(self, af=AF_INET, type=SOCK_STREAM, proto=0):
        if type not in (SOCK_STREAM, SOCK_DGRAM):
            raise _errno.OSError(_errno.EOPNOTSUPP)  # raw sockets are not modelled
        self._id = _board.call("sock_open", "udp" if type == SOCK_DGRAM else "tcp")
        self._timeout = None

    def _ms(self):
        return -1 if self._timeout is None else int(self._timeout * 1000)

    def settimeout(self, value):
        self._timeout = value

    def setblocking(self, flag):
        self._timeout = None if flag else 0

    def setsockopt(self, level, optname, value):
        pass

    def fileno(self):
        return self._id

    def connect(self, address):
        _board.call("sock_connect", self._id, address[0], address[1], self._ms())

    def send(self, data):
        return _board.call("sock_send", self._id, self._ms(), "send", data=data)

    def sendall(self, data):
        _board.call("sock_send", self._id, self._ms(), "sendall", data=data)

    def write(self, data):
        return self._nonblocking_none(_board.call, "sock_send", self._id, self._ms(), "write", data=data)

    def recv(self, bufsize):
        return _board.call_bytes("sock_recv", self._id, bufsize, self._ms())

    # UDP
    def sendto(self, data, address):
        return _board.call("sock_sendto", self._id, address[0], address[1], data=data)

    def recvfrom(self, bufsize):
        data = _board.call_bytes("sock_recvfrom", self._id, bufsize, self._ms())
        host, port = _board.call("sock_lastfrom", self._id)
        return data, (host, port)

    def _nonblocking_none(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except OSError as e:
            if e.errno == _errno.EAGAIN:
                return None
            raise

    def read(self, size=-1):
        if size is None:
            size = -1
        return self._nonblocking_none(self.recv, size)

    def readinto(self, buf, nbytes=None):
        n = len(buf) if nbytes is None else min(nbytes, len(buf))
        return self._nonblocking_none(_board.call_into, buf, "sock_recv", self._id, n, self._ms())

    def readline(self):
        return self._nonblocking_none(
            lambda: _board.call_bytes("sock_readline", self._id, self._ms())
        )

    def makefile(self, mode="rb", buffering=0):
        return self

    def close(self):
        if self._id is not None:
            _board.call("sock_close", self._id)
            self._id = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
