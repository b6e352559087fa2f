# ssl for the simulated ESP32: real TLS in the host, with the surface of MicroPython's ssl module
# (micropython-lib python-stdlib/ssl over the port's mbedTLS tls module).
import _board
import _errno

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
            raise _errno.OSError(_errno.EOPNOTSUPP)  # the board only acts as a TLS client
        ca = None if self._ca is None else self._ca.hex()
        _board.call("sock_tls", sock._id, server_hostname, self.verify_mode, ca, sock._ms())
        return SSLSocket(sock)


def wrap_socket(sock, server_side=False, key=None, cert=None, cert_reqs=CERT_NONE, cadata=None,
                server_hostname=None, do_handshake=True):
    ctx = SSLContext(PROTOCOL_TLS_SERVER if server_side else PROTOCOL_TLS_CLIENT)
    ctx.verify_mode = cert_reqs
    if cadata is not None:
        ctx.load_verify_locations(cadata=cadata)
    return ctx.wrap_socket(sock, server_hostname=server_hostname)
