# ssl for the simulated ESP32, with the surface of MicroPython's ssl module (micropython-lib
# python-stdlib/ssl over the port's mbedTLS tls module). On the native engine it is that: the
# interpreter's own tls module, mbedTLS running in the board over the board's TCP socket. The
# WebAssembly engine has no mbedTLS, so there the host runs TLS and models what mbedTLS reports.
import io

import _board
import _errno

try:
    import tls as _tls
except ImportError:
    _tls = None

CERT_NONE = 0
CERT_OPTIONAL = 1
CERT_REQUIRED = 2
PROTOCOL_TLS_CLIENT = 0
PROTOCOL_TLS_SERVER = 1


def _read(path):
    with open(path, "rb") as f:
        return f.read()


class SSLSocket:
    def __init__(self, sock):
        self._sock = sock

    def read(self, size=-1):
        return self._sock.read(size)

    def readinto(self, buf, nbytes=None):
        return self._sock.readinto(buf, nbytes)

    def readline(self):
        return self._sock.readline()

    def write(self, data):
        return self._sock.write(data)

    # send/recv since v1.25 (MP extmod/modtls_mbedtls.c:893-914)
    def send(self, data):
        return self._sock.send(data)

    def sendall(self, data):
        self._sock.sendall(data)

    def recv(self, bufsize):
        return self._sock.recv(bufsize)

    def recv_into(self, buf, nbytes=None):
        return self._sock.readinto(buf, nbytes)

    def setblocking(self, flag):
        self._sock.setblocking(flag)

    def getpeercert(self, binary_form=False):
        der = bytes.fromhex(_board.call("sock_peercert", self._sock._id))
        return der if binary_form else None

    def cipher(self):
        return _board.call("sock_cipher", self._sock._id)

    def close(self):
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class SSLContext:
    def __init__(self, protocol=PROTOCOL_TLS_CLIENT):
        if protocol not in (PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER):
            raise ValueError("protocol must be PROTOCOL_TLS_CLIENT or PROTOCOL_TLS_SERVER")
        self._server = protocol == PROTOCOL_TLS_SERVER
        self.verify_mode = CERT_NONE  # micropython-lib's ssl.SSLContext sets CERT_NONE whatever the protocol
        self._ca = None

    def load_verify_locations(self, cafile=None, cadata=None):
        data = _read(cafile) if cafile else cadata
        if isinstance(data, str):
            data = data.encode()
        self._ca = data

    def load_cert_chain(self, certfile, keyfile):
        pass  # client certificates are not modelled yet

    def wrap_socket(self, sock, server_side=False, do_handshake_on_connect=True, server_hostname=None):
        if server_side or self._server:
            raise _errno.OSError(_errno.EOPNOTSUPP)  # the host's TLS model is a client's only
        ca = None if self._ca is None else self._ca.hex()
        _board.call("sock_tls", sock._id, server_hostname, self.verify_mode, ca, sock._ms())
        return SSLSocket(sock)


class _Wire(io.IOBase):
    """The TCP socket as mbedTLS's stream: a read or write gives a count, None when it would block,
    or -errno for an error (py/modio.c iobase_read_write), which is how the ESP32 port's socket
    stream hands lwIP's errors to mbedTLS (MP ports/esp32/modsocket.c socket_stream_read)."""

    def __init__(self, sock):
        self._sock = sock

    def readinto(self, buf):
        s = self._sock
        try:
            return _board.call_into(buf, "sock_recv", s._id, len(buf), s._ms())
        except OSError as e:
            return None if e.errno == _errno.EAGAIN else -e.errno

    def write(self, buf):
        s = self._sock
        try:
            return _board.call("sock_send", s._id, s._ms(), "send", data=buf)  # sent before mbedTLS reuses buf
        except OSError as e:
            return None if e.errno == _errno.EAGAIN else -e.errno

    def setblocking(self, flag):
        self._sock.setblocking(flag)

    def ioctl(self, request, arg):
        if request == 4:  # MP_STREAM_CLOSE, when the TLS socket is closed
            self._sock.close()
        return 0  # MP_STREAM_POLL: the host answers for the TCP socket (see _select)


class _MbedSocket:
    """An SSLSocket of the interpreter's tls module, with the TCP socket under it at hand for poll."""

    def __init__(self, tls_sock, sock):
        self._tls = tls_sock
        self._sock = sock
        t = tls_sock
        self.read, self.readinto, self.readline, self.write = t.read, t.readinto, t.readline, t.write
        self.send, self.recv, self.recv_into, self.sendall = t.send, t.recv, t.recv_into, t.sendall
        self.setblocking, self.getpeercert, self.cipher = t.setblocking, t.getpeercert, t.cipher
        self._pending_poll = None

    def _pending(self):
        """True when mbedTLS holds decrypted bytes not read yet: the TCP socket may then have
        nothing to read while this one has (MP extmod/modtls_mbedtls.c socket_ioctl)."""
        if self._pending_poll is None:
            import select

            self._pending_poll = select._builtin_poll()
            self._pending_poll.register(self._tls, 1)
        return bool(self._pending_poll.poll(0))

    def close(self):
        self._pending_poll = None
        self._tls.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _MbedContext:
    """micropython-lib's SSLContext over the tls module, as on a board."""

    def __init__(self, protocol=PROTOCOL_TLS_CLIENT):
        self._ctx = _tls.SSLContext(protocol)
        self._ctx.verify_mode = CERT_NONE

    @property
    def verify_mode(self):
        return self._ctx.verify_mode

    @verify_mode.setter
    def verify_mode(self, value):
        self._ctx.verify_mode = value

    def load_verify_locations(self, cafile=None, cadata=None):
        self._ctx.load_verify_locations(_read(cafile) if cafile else cadata)

    def load_cert_chain(self, certfile, keyfile):
        self._ctx.load_cert_chain(_file_or_data(certfile), _file_or_data(keyfile))

    def wrap_socket(self, sock, server_side=False, do_handshake_on_connect=True, server_hostname=None):
        _set_tls_clock()
        tls_sock = self._ctx.wrap_socket(_Wire(sock), server_side=server_side,
                                         do_handshake_on_connect=do_handshake_on_connect, server_hostname=server_hostname)
        return _MbedSocket(tls_sock, sock)


def _file_or_data(value):
    return _read(value) if isinstance(value, str) else value


def _set_tls_clock():
    # mbedTLS checks certificate dates against the board's clock (native/cmodules/native); a
    # micropython from the PATH lacks it, and checks them against the host's
    try:
        import _native
        import time
    except ImportError:
        return
    _native.set_tls_clock(time.time() + time._EPOCH_2000)  # the board counts from 2000, the C library from 1970


if _tls is not None:
    SSLContext = _MbedContext  # noqa: F811


def wrap_socket(sock, server_side=False, key=None, cert=None, cert_reqs=CERT_NONE, cadata=None,
                server_hostname=None, do_handshake=True):
    ctx = SSLContext(PROTOCOL_TLS_SERVER if server_side else PROTOCOL_TLS_CLIENT)
    ctx.verify_mode = cert_reqs
    if cadata is not None:
        ctx.load_verify_locations(cadata=cadata)
    return ctx.wrap_socket(sock, server_hostname=server_hostname)
