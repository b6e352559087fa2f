# ESP32 WebSocket client for MicroPython: Wi-Fi, RFC 6455 over ws:// and wss://, keepalive pings,
# reconnection with backoff and jitter, and an outbox for messages sent while offline.
#
# One implementation for both deployments: frozen into the firmware (with ws_config.py) or uploaded
# next to main.py. Settings come from DEFAULTS, then ws_config.py, then config.py on the board's
# file system, so credentials change without rebuilding the firmware.
#
# Every event is one serial line "[ws] <event> key=value ..." (see SERIAL_LOG.md); test harnesses
# assert on these lines, so change them only together with that document.

import gc
import json
import os
import select
import socket
import struct
import time

import binascii
import hashlib

try:
    import network
except ImportError:  # a port without Wi-Fi: the network is managed elsewhere
    network = None

VERSION = "1.0.0"

DEFAULTS = {
    "WIFI_SSID": "",
    "WIFI_PASSWORD": "",
    "WIFI_TIMEOUT_MS": 15000,
    "WS_URL": "ws://192.168.1.100:8080/",
    "WS_SUBPROTOCOLS": (),
    "WS_HEADERS": {},
    "TLS_CA_FILE": "",
    "TLS_FINGERPRINT": "",
    # SNTP server (host or host:port) that sets the clock before a TLS_CA_FILE check: a board's clock
    # reads 2000-01-01 after power-on, before every certificate's validity. "" skips it.
    "NTP_HOST": "pool.ntp.org",
    "NTP_TIMEOUT_MS": 3000,
    "CONNECT_TIMEOUT_MS": 10000,
    "RECONNECT_DELAY_MS": 1000,
    "RECONNECT_MAX_DELAY_MS": 30000,
    "RECONNECT_JITTER": 0.2,
    "MAX_RECONNECT_ATTEMPTS": 0,
    "GIVE_UP_ACTION": "reset",
    "GIVE_UP_SLEEP_MS": 600000,
    "PING_INTERVAL_MS": 20000,
    "PING_TIMEOUT_MS": 10000,
    "CLOSE_TIMEOUT_MS": 2000,
    "SEND_TIMEOUT_MS": 10000,
    "MAX_MESSAGE_SIZE": 16384,
    # After a MemoryError, a heap in which a collection leaves no free block this big is held by
    # something (a leak in the application, say) or cut into pieces: only a reset gives it back.
    "MIN_FREE_BLOCK": 4096,
    "OUTBOX_SIZE": 16,
    "STATUS_INTERVAL_MS": 60000,
    "WIFI_CHECK_MS": 1000,
    "LOG_PREVIEW": 40,
    "LOG_MESSAGES": True,  # False: no rx/tx line per message (each costs ~8 ms of UART at 115200)
    "LED_PIN": 2,  # used by examples/advanced_example.py
    "ADC_PIN": 34,
    "REPORT_INTERVAL_MS": 10000,
}

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0, 1, 2, 8, 9, 10
_OPCODES = (OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG)
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_RX_CHUNK = 1024
_BIG_FRAME = 4096  # a payload over this is read into one buffer of its size (Connection._reserve)
_MAX_HEADER_BYTES = 8192
_GIVE_UP_ACTIONS = ("reset", "stop", "deepsleep")
# Safe mode is decided before any configuration is read, so a broken config.py cannot disable it.
SAFE_MODE_PIN = 0  # the BOOT button of ESP32 DevKit boards (pressed = 0)
SAFE_MODE_FILE = "safemode"

client = None  # the running Client, for message handlers that want to reply


# ---------------------------------------------------------------------------------------------
# Serial log


def _value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if not s or " " in s or '"' in s or "=" in s or "\\" in s or any(ord(c) < 32 for c in s):
        return json.dumps(s)
    return s


def log(event, *pairs):
    """Prints "[ws] event k=v ...": pairs alternate names and values (kwargs would lose their
    order in MicroPython); a None value is left out."""
    parts = ["[ws]", event]
    for i in range(0, len(pairs), 2):
        if pairs[i + 1] is not None:
            parts.append(pairs[i] + "=" + _value(pairs[i + 1]))
    print(" ".join(parts))


def _detail(exc):
    # A board prints OSError(118) as "[Errno 118] EHOSTUNREACH" (newlib numbers), and a failed
    # certificate check as a ValueError of "\n"-framed mbedTLS lines: keep it on one short line.
    return (type(exc).__name__ + " " + " ".join(str(exc).split()))[:120]


# ---------------------------------------------------------------------------------------------
# Configuration


class ConfigError(Exception):
    pass


def load_config(overrides=None):
    """DEFAULTS, then the frozen ws_config module, then config.py from the board's file system."""
    cfg = dict(DEFAULTS)
    for name in ("ws_config", "config"):
        try:
            mod = __import__(name)
        except ImportError as e:
            if name in str(e):
                continue  # no such module: nothing to override
            raise ConfigError("%s.py: %s" % (name, e))
        except SyntaxError as e:
            raise ConfigError("%s.py: %s" % (name, e))
        except Exception as e:  # NameError, TypeError, ... raised while config.py runs
            raise ConfigError("%s.py: %s: %s" % (name, type(e).__name__, e))
        for key in dir(mod):
            if key.isupper():
                if key not in DEFAULTS:
                    log("config", "warning", "unknown setting", "key", key, "file", name + ".py")
                cfg[key] = getattr(mod, key)
    if overrides:
        cfg.update(overrides)
    parse_url(cfg["WS_URL"])
    if cfg["NTP_HOST"]:
        parse_host_port(cfg["NTP_HOST"], 123, "NTP_HOST")
    if cfg["GIVE_UP_ACTION"] not in _GIVE_UP_ACTIONS:
        raise ConfigError("GIVE_UP_ACTION must be one of %s, not %r" % (_GIVE_UP_ACTIONS, cfg["GIVE_UP_ACTION"]))
    return cfg


# ---------------------------------------------------------------------------------------------
# URL and handshake


def parse_url(url):
    """ws[s]://host[:port][/path][?query] -> (secure, host, port, resource)."""
    if not isinstance(url, str) or "://" not in url:
        raise ConfigError("WS_URL must look like ws://host:port/path, not %r" % (url,))
    scheme, rest = url.split("://", 1)
    scheme = scheme.lower()
    if scheme not in ("ws", "wss"):
        raise ConfigError("WS_URL scheme must be ws or wss, not %r" % scheme)
    secure = scheme == "wss"
    cut = len(rest)
    for sep in "/?":
        i = rest.find(sep)
        if 0 <= i < cut:
            cut = i
    netloc, resource = rest[:cut], rest[cut:]
    if resource.startswith("?"):
        resource = "/" + resource
    resource = resource or "/"
    if "#" in resource:
        raise ConfigError("WS_URL must not have a fragment (#...)")
    if "@" in netloc:
        raise ConfigError("WS_URL must not carry user:password@; use WS_HEADERS for credentials")
    port = 443 if secure else 80
    if netloc.startswith("["):  # IPv6 literal
        end = netloc.find("]")
        if end < 0:
            raise ConfigError("WS_URL has an unclosed [ in its host")
        host, tail = netloc[1:end], netloc[end + 1:]
        if tail:
            if not tail.startswith(":"):
                raise ConfigError("WS_URL has junk after its host: %r" % tail)
            port = _port(tail[1:])
    elif ":" in netloc:
        host, p = netloc.rsplit(":", 1)
        port = _port(p)
    else:
        host = netloc
    if not host:
        raise ConfigError("WS_URL has no host: %r" % url)
    return secure, host, port, resource


def _port(text):
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise ConfigError("WS_URL port must be 1-65535, not %r" % text)
    return port


def redact_url(url):
    """The URL as it may appear in logs: a query string can carry a token."""
    i = url.find("?")
    return url if i < 0 else url[:i] + "?<redacted>"


def make_key():
    return binascii.b2a_base64(os.urandom(16))[:-1].decode()


def accept_key(key):
    return binascii.b2a_base64(hashlib.sha1(key.encode() + _GUID).digest())[:-1].decode()


def handshake_request(host, port, resource, key, secure=False, protocols=(), headers=None):
    default_port = 443 if secure else 80
    if ":" in host:
        host = "[" + host + "]"
    hostport = host if port == default_port else "%s:%d" % (host, port)
    lines = [
        "GET %s HTTP/1.1" % resource,
        "Host: " + hostport,
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: " + key,
        "Sec-WebSocket-Version: 13",
    ]
    if protocols:
        lines.append("Sec-WebSocket-Protocol: " + ", ".join(protocols))
    for name in headers or {}:
        value = str(headers[name])
        if "\r" in name or "\n" in name or "\r" in value or "\n" in value:
            raise ConfigError("WS_HEADERS %r contains a line break" % name)
        lines.append("%s: %s" % (name, value))
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class HandshakeError(Exception):
    pass


def check_handshake(status_line, headers, key, protocols=()):
    """Validates the server's answer (headers: lower-case names). Returns the chosen subprotocol."""
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise HandshakeError("not an HTTP response: %r" % status_line[:60])
    if parts[1] != "101":
        raise HandshakeError("HTTP " + " ".join(parts[1:]))
    if headers.get("upgrade", "").lower() != "websocket":
        raise HandshakeError("missing Upgrade: websocket")
    if "upgrade" not in [t.strip() for t in headers.get("connection", "").lower().split(",")]:
        raise HandshakeError("missing Connection: Upgrade")
    if headers.get("sec-websocket-accept", "") != accept_key(key):
        raise HandshakeError("wrong Sec-WebSocket-Accept")
    if headers.get("sec-websocket-extensions"):
        raise HandshakeError("server chose extensions that were not offered")
    chosen = headers.get("sec-websocket-protocol")
    if chosen is not None and chosen not in protocols:
        raise HandshakeError("server chose subprotocol %r that was not offered" % chosen)
    return chosen


# ---------------------------------------------------------------------------------------------
# Framing (RFC 6455 section 5)


class ProtocolError(Exception):
    def __init__(self, code, reason):
        super().__init__(reason)
        self.code = code
        self.reason = reason


def mask(buf, key, start=0):
    """XORs buf[start:] in place with the 4-byte key; 64 bytes at a time through big integers."""
    mv = memoryview(buf)
    end = len(buf)
    block = int.from_bytes(key * 16, "big")
    i = start
    while i + 64 <= end:
        mv[i:i + 64] = (int.from_bytes(mv[i:i + 64], "big") ^ block).to_bytes(64, "big")
        i += 64
    while i < end:
        buf[i] ^= key[(i - start) & 3]
        i += 1


def encode_frame(opcode, payload, fin=True, key=None):
    """A client frame: always masked, with a fresh random key unless one is given."""
    n = len(payload)
    b0 = (0x80 if fin else 0) | opcode
    if n < 126:
        head = struct.pack("!BB", b0, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", b0, 0xFE, n)
    else:
        head = struct.pack("!BBQ", b0, 0xFF, n)
    key = key or os.urandom(4)
    start = len(head) + 4
    frame = bytearray(start + n)  # one allocation: growing a bytearray would copy it each time
    frame[: start - 4] = head
    frame[start - 4: start] = key
    frame[start:] = payload
    mask(frame, key, start)
    return frame


def _extent(buf):
    """(header length, payload length) of the frame at the start of buf, or None while incomplete."""
    n = len(buf)
    if n < 2:
        return None
    length = buf[1] & 0x7F
    if length == 126:
        return None if n < 4 else (4, (buf[2] << 8) | buf[3])
    if length == 127:
        return None if n < 10 else (10, struct.unpack_from("!Q", buf, 2)[0])
    return 2, length


def frame_ready(buf):
    """True when buf holds at least one whole frame (a cheap check before waiting for more)."""
    ext = _extent(buf)
    return ext is not None and len(buf) >= ext[0] + ext[1]


def parse_frame(buf, max_size):
    """(fin, opcode, payload, consumed) for the first complete frame in buf, or None if incomplete.
    Raises ProtocolError for what a server must never send."""
    if len(buf) < 2:
        return None
    b0, b1 = buf[0], buf[1]
    if b0 & 0x70:
        raise ProtocolError(1002, "reserved bits set")
    op = b0 & 0x0F
    if op not in _OPCODES:
        raise ProtocolError(1002, "unknown opcode %d" % op)
    if b1 & 0x80:
        raise ProtocolError(1002, "masked frame from server")
    ext = _extent(buf)
    if ext is None:
        return None
    pos, length = ext
    if length >> 63:
        raise ProtocolError(1002, "64-bit length with the top bit set")
    if op >= OP_CLOSE:
        if not b0 & 0x80:
            raise ProtocolError(1002, "fragmented control frame")
        if length > 125:
            raise ProtocolError(1002, "control frame of %d bytes" % length)
    elif length > max_size:
        raise ProtocolError(1009, "message of %d bytes over the limit of %d" % (length, max_size))
    if len(buf) < pos + length:
        return None
    return bool(b0 & 0x80), op, bytes(memoryview(buf)[pos:pos + length]), pos + length


def valid_utf8(data):
    """Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF), as RFC 6455 needs."""
    if not data or max(data) < 0x80:
        return True
    n = len(data)
    i = 0
    while i < n:
        c = data[i]
        if c < 0x80:
            i += 1
            continue
        if 0xC2 <= c <= 0xDF:
            k, lo, hi = 1, 0x80, 0xBF
        elif c == 0xE0:
            k, lo, hi = 2, 0xA0, 0xBF
        elif c == 0xED:
            k, lo, hi = 2, 0x80, 0x9F
        elif 0xE1 <= c <= 0xEF:
            k, lo, hi = 2, 0x80, 0xBF
        elif c == 0xF0:
            k, lo, hi = 3, 0x90, 0xBF
        elif 0xF1 <= c <= 0xF3:
            k, lo, hi = 3, 0x80, 0xBF
        elif c == 0xF4:
            k, lo, hi = 3, 0x80, 0x8F
        else:
            return False
        if i + k >= n or not lo <= data[i + 1] <= hi:
            return False
        for j in range(i + 2, i + k + 1):
            if not 0x80 <= data[j] <= 0xBF:
                return False
        i += k + 1
    return True


class Assembler:
    """Joins fragmented data frames into messages: str for text, bytes for binary (a bytearray for
    one that came whole in a frame of over 4 KB: the buffer it was read into, not a copy)."""

    def __init__(self, max_size):
        self.max_size = max_size
        self.op = None
        self.buf = None

    def add(self, fin, op, payload):
        fin_whole = fin and op != OP_CONT
        if op == OP_CONT:
            if self.op is None:
                raise ProtocolError(1002, "continuation frame without a message")
            if len(self.buf) + len(payload) > self.max_size:
                raise ProtocolError(1009, "message over the limit of %d bytes" % self.max_size)
            self.buf.extend(payload)
            if not fin:
                return None
            op, payload = self.op, self.buf
            self.op = self.buf = None
        elif self.op is not None:
            raise ProtocolError(1002, "new message inside a fragmented one")
        elif not fin:
            self.op, self.buf = op, bytearray(payload)
            return None
        if op == OP_TEXT:
            if not valid_utf8(payload):
                raise ProtocolError(1007, "invalid UTF-8 in a text message")
            return str(payload, "utf-8")
        if op == OP_BINARY and fin_whole and isinstance(payload, bytearray):
            return payload  # read in place (Connection._reserve): the heap may have no room for a copy
        return bytes(payload)


def valid_close_code(code):
    return 1000 <= code <= 1003 or 1007 <= code <= 1014 or 3000 <= code <= 4999


def close_payload(code, reason=""):
    data = reason.encode()
    while len(data) > 123:  # 125 minus the code; cut at a character boundary
        reason = reason[:-1]
        data = reason.encode()
    return struct.pack("!H", code) + data


def parse_close(payload):
    """(code, reason) of a close frame; 1005 when it has no code. Raises ProtocolError if invalid."""
    if not payload:
        return 1005, ""
    if len(payload) == 1:
        raise ProtocolError(1002, "close frame of 1 byte")
    code = (payload[0] << 8) | payload[1]
    if not valid_close_code(code):
        raise ProtocolError(1002, "invalid close code %d" % code)
    if not valid_utf8(payload[2:]):
        raise ProtocolError(1007, "invalid UTF-8 in the close reason")
    return code, str(payload[2:], "utf-8")


# ---------------------------------------------------------------------------------------------
# Reconnection and outbox


def backoff_delay(attempt, base, cap, jitter, rand=None):
    """Delay before attempt n (1 = the first after a working connection ended): base * 2^(n-1)
    spread by +-jitter, kept within [base, cap]. With jitter < 1/3 each delay is longer than the
    previous one until the cap."""
    if rand is None:
        import random

        rand = random.random
    nominal = int(base) << min(attempt - 1, 20)
    delay = int(nominal * (1 + jitter * (2 * rand() - 1)))
    return max(min(base, cap), min(cap, delay))


class Outbox:
    """Messages sent while offline, oldest first; when full the oldest is dropped and counted."""

    def __init__(self, size):
        self.size = size
        self.items = []
        self.dropped = 0

    def __len__(self):
        return len(self.items)

    def put(self, message):
        """Queues a message; returns how many were dropped to make room (0 or 1)."""
        if self.size <= 0:
            self.dropped += 1
            return 1
        self.items.append(message)
        if len(self.items) > self.size:
            self.items.pop(0)
            self.dropped += 1
            return 1
        return 0

    def put_back(self, message):
        """Returns a message whose send failed to the front, so the order is kept."""
        self.items.insert(0, message)
        if len(self.items) > self.size:
            self.items.pop()
            self.dropped += 1

    def pop(self):
        return self.items.pop(0)


# ---------------------------------------------------------------------------------------------
# Wi-Fi


def _status_name(status):
    if network is not None:
        for name in dir(network):
            if name.startswith("STAT_") and getattr(network, name) == status:
                return name[5:]
    return "UNKNOWN"


class Wifi:
    """The station. While a connection is requested, the ESP32 port's driver rejoins by itself after
    every loss (a missing access point, a wrong password too) and refuses connect() meanwhile with
    "Wifi Internal Error"; so connect() is called once and afterwards the firmware only waits for the
    link. Loss and recovery are seen through isconnected(), whichever side rejoined."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.wlan = None
        self.requested = False  # connect() was accepted: the driver owns the link from now on
        self.up = False
        self.since = time.ticks_ms()  # when the link was last wanted and missing
        if network is not None and cfg["WIFI_SSID"]:
            self.wlan = network.WLAN(network.STA_IF)

    def isconnected(self):
        if self.wlan is None:
            return True
        up = self.wlan.isconnected()
        if up != self.up:
            now = time.ticks_ms()
            if up:
                self.requested = True  # a link that is up was asked of the driver, which will rejoin it by itself
                log("wifi connected", "ip", self.wlan.ifconfig()[0], "ms", time.ticks_diff(now, self.since))
            else:
                self.since = now
            self.up = up
        return up

    def connect(self):
        """Waits up to WIFI_TIMEOUT_MS for the link; True when it has an address."""
        wlan = self.wlan
        if wlan is None:
            return True
        wlan.active(True)
        if self.isconnected():
            return True
        t0 = time.ticks_ms()
        if not self.requested:
            ssid = self.cfg["WIFI_SSID"]
            log("wifi connecting", "ssid", ssid)
            self.since = t0
            try:
                wlan.connect(ssid, self.cfg["WIFI_PASSWORD"])
            except OSError as e:
                log("wifi failed", "status", -1, "reason", _detail(e), "ms", time.ticks_diff(time.ticks_ms(), t0))
                return False
            self.requested = True
        while time.ticks_diff(time.ticks_ms(), t0) < self.cfg["WIFI_TIMEOUT_MS"]:
            time.sleep_ms(100)
            if self.isconnected():
                return True
        # Still joining: a board may show CONNECTING, NO_AP_FOUND or WRONG_PASSWORD while the driver retries.
        status = wlan.status()
        log("wifi failed", "status", status, "reason", _status_name(status), "ms", time.ticks_diff(time.ticks_ms(), t0))
        return False


# ---------------------------------------------------------------------------------------------
# The clock (SNTP, RFC 4330)

_NTP_TO_2000 = 3155673600  # seconds from 1900-01-01 (NTP's epoch) to 2000-01-01 (the board's)


def parse_host_port(text, default_port, name):
    """"host" or "host:port" -> (host, port)."""
    if not isinstance(text, str) or not text:
        raise ConfigError("%s must be a host name or host:port, not %r" % (name, text))
    host, sep, port = text.rpartition(":")
    if not sep:
        return text, default_port
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError("%s must be a host name or host:port, not %r" % (name, text))
    return host, int(port)


def sntp_seconds(host, port, timeout_ms):
    """Seconds since 2000-01-01 from one SNTP exchange; raises OSError or ValueError."""
    addr = socket.getaddrinfo(host, port, 0, socket.SOCK_DGRAM)[0][-1]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.settimeout(timeout_ms / 1000)
        query = bytearray(48)
        query[0] = 0x23  # version 4, mode 3 (client)
        s.sendto(query, addr)
        answer = s.recv(48)
    finally:
        s.close()
    if len(answer) < 48 or answer[0] & 0x07 not in (4, 5):
        raise ValueError("not an SNTP answer")
    seconds = struct.unpack_from("!I", answer, 40)[0]
    if not seconds:
        raise ValueError("the server's clock is not synchronised")
    return seconds - _NTP_TO_2000


class Clock:
    """Sets the board's clock once per boot from NTP_HOST (it survives soft resets), so mbedTLS can
    check certificate dates; says in the log whether it could."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.set = False

    def ensure(self):
        host = self.cfg["NTP_HOST"]
        if self.set or not host:
            return self.set
        t0 = time.ticks_ms()
        try:
            name, port = parse_host_port(host, 123, "NTP_HOST")
            seconds = sntp_seconds(name, port, self.cfg["NTP_TIMEOUT_MS"])
            import machine

            t = time.gmtime(seconds)
            machine.RTC().datetime((t[0], t[1], t[2], t[6], t[3], t[4], t[5], 0))
        except (OSError, ValueError) as e:
            log("time not set", "ntp", host, "detail", _detail(e), "ms", time.ticks_diff(time.ticks_ms(), t0))
            return False
        self.set = True
        t = time.gmtime()
        log("time set", "ntp", host, "utc", "%04d-%02d-%02dT%02d:%02d:%02dZ" % t[:6], "ms", time.ticks_diff(time.ticks_ms(), t0))
        return True


# ---------------------------------------------------------------------------------------------
# One WebSocket connection


class ConnectError(Exception):
    def __init__(self, stage, detail):
        super().__init__(detail)
        self.stage = stage
        self.detail = detail


class ConnectionLost(Exception):
    pass


class Connection:
    """A TCP (or TLS) stream after a successful handshake, read without blocking through poll."""

    def __init__(self, cfg, clock=None):
        self.cfg = cfg
        self.clock = clock
        self.sock = None
        self.stream = None
        self.poller = None
        self.rx = bytearray()
        self.big = None  # a large frame's payload buffer while it arrives, and how much of it has
        self.filled = 0
        self.big_head = 0  # that frame's first byte (FIN and opcode)
        self.ready = None  # that frame once it is whole, as parse_frame gives a frame
        self.chunk = None  # reused for every read
        self.protocol = None

    def open(self):
        cfg = self.cfg
        secure, host, port, resource = parse_url(cfg["WS_URL"])
        timeout = cfg["CONNECT_TIMEOUT_MS"] / 1000
        try:
            addr = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)[0][-1]
        except OSError as e:
            raise ConnectError("dns", _detail(e))
        self.sock = socket.socket()
        self.stream = self.sock
        try:
            self.sock.settimeout(timeout)
            self.sock.connect(addr)
        except OSError as e:
            raise ConnectError("tcp", _detail(e))
        if secure:
            self.stream = self._tls(host)
        key = make_key()
        try:
            self._write_blocking(handshake_request(host, port, resource, key, secure, cfg["WS_SUBPROTOCOLS"], cfg["WS_HEADERS"]))
            status, headers = self._read_response()
            self.protocol = check_handshake(status, headers, key, cfg["WS_SUBPROTOCOLS"])
        except HandshakeError as e:
            raise ConnectError("handshake", str(e))
        except OSError as e:
            raise ConnectError("handshake", _detail(e))
        self.stream.setblocking(False)
        self.poller = select.poll()
        self.poller.register(self.stream, select.POLLIN)
        return self.protocol

    def _tls(self, host):
        import ssl

        cfg = self.cfg
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        if cfg["TLS_CA_FILE"]:
            if self.clock is not None:
                self.clock.ensure()  # before the check: certificate dates are read against the clock
            ctx.verify_mode = ssl.CERT_REQUIRED
            try:
                ctx.load_verify_locations(cafile=cfg["TLS_CA_FILE"])
            except OSError as e:
                raise ConnectError("tls", "cannot read TLS_CA_FILE %s: %s" % (cfg["TLS_CA_FILE"], _detail(e)))
            log("tls", "verify", "ca", "file", cfg["TLS_CA_FILE"])
        else:
            ctx.verify_mode = ssl.CERT_NONE
            if not cfg["TLS_FINGERPRINT"]:
                log("warning", "tls", "certificate not verified", "fix", "set TLS_CA_FILE or TLS_FINGERPRINT")
        try:
            stream = ctx.wrap_socket(self.sock, server_hostname=host)
        except (OSError, ValueError) as e:
            raise ConnectError("tls", _detail(e))
        if cfg["TLS_FINGERPRINT"]:
            want = cfg["TLS_FINGERPRINT"].replace(":", "").lower()
            got = binascii.hexlify(hashlib.sha256(stream.getpeercert(True)).digest()).decode()
            if got != want:
                raise ConnectError("tls", "certificate fingerprint mismatch: server has sha256 " + got)
            log("tls", "verify", "fingerprint")
        return stream

    def _read_response(self):
        status = None
        headers = {}
        total = 0
        while True:
            line = self.stream.readline()
            if not line:
                raise HandshakeError("connection closed during the handshake")
            total += len(line)
            if total > _MAX_HEADER_BYTES:
                raise HandshakeError("response headers over %d bytes" % _MAX_HEADER_BYTES)
            if not line.endswith(b"\n"):
                raise HandshakeError("timed out reading the response")
            line = line.decode().rstrip("\r\n")
            if status is None:
                status = line
            elif not line:
                return status, headers
            elif ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()

    def _write_blocking(self, data):
        n = 0
        mv = memoryview(data)
        while n < len(data):
            w = self.stream.write(mv[n:])
            if not w:
                raise HandshakeError("timed out sending the request")
            n += w

    def send(self, opcode, payload, fin=True):
        """Writes one frame; a stalled peer (nothing accepted for SEND_TIMEOUT_MS) is a lost link."""
        frame = encode_frame(opcode, payload, fin)
        mv = memoryview(frame)
        n = 0
        deadline = time.ticks_add(time.ticks_ms(), self.cfg["SEND_TIMEOUT_MS"])
        out = None
        while n < len(frame):
            try:
                w = self.stream.write(mv[n:])
            except OSError as e:
                raise ConnectionLost(_detail(e))
            if w:
                n += w
                continue
            left = time.ticks_diff(deadline, time.ticks_ms())
            if left <= 0:
                raise ConnectionLost("send timed out")
            if out is None:
                out = select.poll()
                out.register(self.stream, select.POLLOUT)
            out.poll(left)

    def wait(self, timeout_ms):
        """Reads what has arrived within timeout_ms into the receive buffer."""
        if self.ready is not None or frame_ready(self.rx):
            return
        if not self.poller.poll(max(0, timeout_ms)):
            return
        if self.chunk is None:
            self.chunk = bytearray(_RX_CHUNK)
        while True:
            if self.big is None:
                self._reserve()
            into = self.chunk if self.big is None else memoryview(self.big)[self.filled:]
            try:
                n = self.stream.readinto(into)
            except OSError as e:
                raise ConnectionLost(_detail(e))
            if n is None:
                return
            if not n:
                raise ConnectionLost("connection closed by peer without a close frame")
            if self.big is not None:
                self.filled += n
                if self.filled == len(self.big):
                    b0 = self.big_head
                    self.ready, self.big = (bool(b0 & 0x80), b0 & 0x0F, self.big, 0), None
                    return
                if n < len(into):
                    return
                continue
            self.rx.extend(memoryview(self.chunk)[:n])
            if n < _RX_CHUNK or len(self.rx) > self.cfg["MAX_MESSAGE_SIZE"] + 14:
                return

    def _reserve(self):
        """Once a large frame's header is in, its payload gets one buffer of its size, read into
        in place and handed on as it is: grown chunk by chunk and then copied out, it would need
        two or three copies at once. A heap with no free block that big refuses the message with
        1009 (too big), and the link stays up."""
        if self.ready is not None or parse_frame(self.rx, self.cfg["MAX_MESSAGE_SIZE"]) is not None:
            return  # a whole frame is here (parse_frame raised if the header is bad)
        ext = _extent(self.rx)
        if ext is None or ext[1] <= _BIG_FRAME or self.rx[0] & 0x0F >= OP_CLOSE:
            return
        pos, length = ext
        try:
            big = bytearray(length)
        except MemoryError:
            raise ProtocolError(1009, "no memory for a message of %d bytes" % length)
        got = len(self.rx) - pos
        big[:got] = memoryview(self.rx)[pos:]
        self.big, self.filled, self.big_head, self.rx = big, got, self.rx[0], bytearray()

    def next_frame(self):
        if self.ready is not None:
            frame, self.ready = self.ready, None
            return frame
        frame = parse_frame(self.rx, self.cfg["MAX_MESSAGE_SIZE"])
        if frame is None:
            return None
        n = frame[3]
        # MicroPython's bytearray has no slice deletion; most reads end on a frame boundary.
        self.rx = bytearray() if n == len(self.rx) else self.rx[n:]
        return frame

    def discard_until_close(self, timeout_ms):
        """After this side's close frame: reads and throws away what the server still sends (frames
        of any size) until its close frame or timeout_ms; True if the close came. Closing with data
        unread would make lwIP answer a server that is still sending with a TCP reset, where
        RFC 6455 (section 7.1.1) wants the server to close the TCP connection first."""
        deadline = time.ticks_add(time.ticks_ms(), timeout_ms)
        rx, self.rx = self.rx, bytearray()
        skip = 0  # bytes of a frame being thrown away that have not arrived yet
        if self.big is not None:  # a large frame half read: the rest of it goes as it comes
            skip, self.big = len(self.big) - self.filled, None
        if self.chunk is None:
            self.chunk = bytearray(_RX_CHUNK)
        while True:
            while not skip:
                ext = _extent(rx)
                if ext is None:
                    break
                if rx[0] & 0x0F == OP_CLOSE:
                    return True
                whole = ext[0] + ext[1]
                if whole <= len(rx):
                    rx = rx[whole:]
                else:
                    skip, rx = whole - len(rx), bytearray()
            left = time.ticks_diff(deadline, time.ticks_ms())
            if left <= 0 or not self.poller.poll(left):
                return False
            try:
                n = self.stream.readinto(self.chunk)
            except OSError:
                return False
            if n is None:
                continue
            if not n:
                return False
            data = memoryview(self.chunk)[:n]
            if skip:
                used = min(skip, n)
                skip -= used
                data = data[used:]
            rx.extend(data)

    def close(self):
        if self.sock is not None:
            try:
                self.stream.close()
            except OSError:
                pass
        self.sock = self.stream = self.poller = None
        self.rx = bytearray()
        self.big = self.ready = None


# ---------------------------------------------------------------------------------------------
# The client


def handle_message(message):
    """Default message hook: edit this (or pass your own to main()) to act on messages.
    `message` is a str for text and bytes for binary; reply with client.send(...)."""
    pass


class Client:
    """Keeps one WebSocket connection alive: joins Wi-Fi, connects, reconnects with backoff, pings,
    queues what is sent while offline. Drive it with run_forever() or call poll() from your loop."""

    def __init__(self, cfg=None, on_message=None):
        self.cfg = cfg or load_config()
        self.on_message = on_message or handle_message
        self.wifi = Wifi(self.cfg)
        self.clock = Clock(self.cfg)
        self.conn = None
        self.outbox = Outbox(self.cfg["OUTBOX_SIZE"])
        self.failures = 0
        self.next_attempt = time.ticks_ms()
        self.stopped = False
        self.assembler = None
        self.ping_due = self.status_due = self.wifi_due = 0
        self.ping_sent = None  # (payload, ticks) of the keepalive ping awaiting its pong
        self.ping_count = 0
        self.started = time.ticks_ms()
        log("start", "version", VERSION, "url", redact_url(self.cfg["WS_URL"]))

    @property
    def connected(self):
        return self.conn is not None

    # -- application API

    def send(self, data):
        """Sends text (str) or binary (bytes); while offline the message waits in the outbox."""
        if self.conn is not None and not len(self.outbox):
            if self._send_message(data):
                return True
        dropped = self.outbox.put(data)
        log("outbox queued", "size", len(self.outbox))
        if dropped:
            log("outbox dropped", "total", self.outbox.dropped)
        return False

    def send_json(self, obj):
        return self.send(json.dumps(obj))

    def close(self, code=1000, reason=""):
        """Closes the connection cleanly and stops the client."""
        if self.conn is not None:
            self._close_handshake(code, reason)
        self.stopped = True

    # -- main loop

    def run_forever(self, on_tick=None):
        """Polls until stopped; on_tick() (if given) runs about every 100 ms between polls."""
        while not self.stopped:
            try:
                self.poll(100 if on_tick else 1000)
                if on_tick:
                    on_tick()
            except MemoryError:
                self._out_of_memory("client")

    def poll(self, timeout_ms=100):
        """One step, returning within about timeout_ms (connect attempts can take longer)."""
        if self.stopped:
            return
        if self.conn is None:
            wait = time.ticks_diff(self.next_attempt, time.ticks_ms())
            if wait > 0:
                time.sleep_ms(min(wait, timeout_ms))
                return
            self._connect()
            return
        try:
            self._service(timeout_ms)
        except ProtocolError as e:
            log("protocol error", "code", e.code, "detail", e.reason)
            self._close_handshake(e.code, e.reason)
            self._schedule(False)
        except ConnectionLost as e:
            why = str(e)
            if why != "wifi lost" and not self.wifi.isconnected():
                # Leaving the network aborts every TCP connection (lwIP), so a socket error is often
                # the first sign of a lost access point: name the cause, not the symptom.
                log("wifi lost")
                why = "wifi lost"
            self._lost(why)
        except MemoryError:
            self._lost("out of memory")
            self._out_of_memory("link")

    def _out_of_memory(self, where):
        """After a MemoryError: goes on if a collection leaves a free block of MIN_FREE_BLOCK bytes,
        else resets the board, the only way to free a heap that something holds or that is cut
        into pieces (the free total can be large while no block is); a board left at the REPL
        with such a heap would need a person to recover it."""
        gc.collect()
        free = gc.mem_free()
        try:
            block = bytearray(self.cfg["MIN_FREE_BLOCK"])
            action = "continue"
        except MemoryError:
            action = "reset"
        block = None
        try:
            log("out of memory", "in", where, "free", free, "action", action)
        except MemoryError:
            pass  # the reset matters more than its log line
        if action == "reset":
            import machine

            machine.reset()

    def _connect(self):
        attempt = self.failures + 1
        if not self.wifi.isconnected() and not self.wifi.connect():
            self._schedule()
            return
        url = redact_url(self.cfg["WS_URL"])
        log("connecting", "url", url, "attempt", attempt)
        t0 = time.ticks_ms()
        conn = Connection(self.cfg, self.clock)
        try:
            protocol = conn.open()
        except ConnectError as e:
            conn.close()
            log("connect failed", "stage", e.stage, "detail", e.detail, "ms", time.ticks_diff(time.ticks_ms(), t0))
            self._schedule()
            return
        self.conn = conn
        self.failures = 0
        self.assembler = Assembler(self.cfg["MAX_MESSAGE_SIZE"])
        now = time.ticks_ms()
        self.ping_sent = None
        self.ping_due = time.ticks_add(now, self.cfg["PING_INTERVAL_MS"])
        self.status_due = time.ticks_add(now, self.cfg["STATUS_INTERVAL_MS"])
        self.wifi_due = time.ticks_add(now, self.cfg["WIFI_CHECK_MS"])
        log("connected", "url", url, "ms", time.ticks_diff(now, t0), "protocol", protocol)
        self._flush_outbox()

    def _schedule(self, failed=True):
        """Plans the next attempt. `failed`: an attempt failed (counts toward the backoff and the
        give-up limit); otherwise a working connection ended and reconnecting starts afresh."""
        if failed:
            self.failures += 1
            limit = self.cfg["MAX_RECONNECT_ATTEMPTS"]
            if limit and self.failures >= limit:
                self._give_up()
                return
        cfg = self.cfg
        attempt = self.failures + 1
        delay = backoff_delay(attempt, cfg["RECONNECT_DELAY_MS"], cfg["RECONNECT_MAX_DELAY_MS"], cfg["RECONNECT_JITTER"])
        self.next_attempt = time.ticks_add(time.ticks_ms(), delay)
        log("reconnect", "in_ms", delay, "attempt", attempt)
        gc.collect()

    def _give_up(self):
        action = self.cfg["GIVE_UP_ACTION"]
        log("give up", "attempts", self.failures, "action", action)
        self.stopped = True
        if action == "stop":
            return
        import machine

        if action == "deepsleep":
            machine.deepsleep(self.cfg["GIVE_UP_SLEEP_MS"])
        machine.reset()

    def _lost(self, why):
        log("closed", "code", 1006, "reason", why, "by", "network")
        self._drop()
        self._schedule(False)

    def _drop(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None
        self.assembler = None

    def _service(self, timeout_ms):
        cfg = self.cfg
        if len(self.outbox):
            self._flush_outbox()
            if self.conn is None:
                return
        now = time.ticks_ms()
        if time.ticks_diff(now, self.wifi_due) >= 0:
            self.wifi_due = time.ticks_add(now, cfg["WIFI_CHECK_MS"])
            if not self.wifi.isconnected():
                log("wifi lost")
                raise ConnectionLost("wifi lost")
        self._keepalive(now)
        if cfg["STATUS_INTERVAL_MS"] and time.ticks_diff(now, self.status_due) >= 0:
            self.status_due = time.ticks_add(now, cfg["STATUS_INTERVAL_MS"])
            self.send_status()
            if self.conn is None:
                return
        wait = min(timeout_ms, time.ticks_diff(self.wifi_due, now))
        if cfg["PING_INTERVAL_MS"]:
            wait = min(wait, time.ticks_diff(self._next_ping_event(), now))
        self.conn.wait(max(0, wait))
        while self.conn is not None:
            frame = self.conn.next_frame()
            if frame is None:
                break
            self._on_frame(*frame[:3])

    def _next_ping_event(self):
        if self.ping_sent is not None:
            return time.ticks_add(self.ping_sent[1], self.cfg["PING_TIMEOUT_MS"])
        return self.ping_due

    def _keepalive(self, now):
        cfg = self.cfg
        if not cfg["PING_INTERVAL_MS"]:
            return
        if self.ping_sent is not None:
            waited = time.ticks_diff(now, self.ping_sent[1])
            if waited >= cfg["PING_TIMEOUT_MS"]:
                log("ping timeout", "ms", waited)
                raise ConnectionLost("ping timeout")
        elif time.ticks_diff(now, self.ping_due) >= 0:
            self.ping_count += 1
            payload = struct.pack("!I", self.ping_count)
            self.conn.send(OP_PING, payload)
            self.ping_sent = (payload, now)
            log("ping tx", "size", len(payload))

    def _on_frame(self, fin, op, payload):
        if op == OP_PING:
            log("ping rx", "size", len(payload))
            self.conn.send(OP_PONG, payload)
            log("pong tx", "size", len(payload))
        elif op == OP_PONG:
            sent = self.ping_sent
            if sent is not None and payload == sent[0]:
                now = time.ticks_ms()
                log("pong rx", "ms", time.ticks_diff(now, sent[1]))
                self.ping_sent = None
                self.ping_due = time.ticks_add(now, self.cfg["PING_INTERVAL_MS"])
            else:
                log("pong rx", "unsolicited", True, "size", len(payload))
        elif op == OP_CLOSE:
            code, reason = parse_close(payload)
            log("closed", "code", code, "reason", reason, "by", "server")
            try:
                self.conn.send(OP_CLOSE, payload[:2])  # echo the code: the close handshake
            except ConnectionLost:
                pass
            self._drop()
            self._schedule(False)
        else:
            message = self.assembler.add(fin, op, payload)
            if message is not None:
                self._deliver(message)

    def _deliver(self, message):
        if not self.cfg["LOG_MESSAGES"]:
            pass
        elif isinstance(message, str):
            preview = self.cfg["LOG_PREVIEW"]
            log("rx", "type", "text", "size", len(message.encode()), "data", message[:preview] if preview else None)
        else:
            log("rx", "type", "binary", "size", len(message))
        try:
            self.on_message(message)
        except Exception as e:  # a bug in the application's handler must not take the link down
            log("error", "kind", "handler", "detail", _detail(e))
            if isinstance(e, MemoryError):
                self._out_of_memory("handler")

    def _send_message(self, data):
        text = isinstance(data, str)
        payload = data.encode() if text else data
        try:
            self.conn.send(OP_TEXT if text else OP_BINARY, payload)
        except ConnectionLost as e:
            self.outbox.put_back(data)
            self._lost(str(e))
            return False
        if self.cfg["LOG_MESSAGES"]:
            log("tx", "type", "text" if text else "binary", "size", len(payload))
        return True

    def _flush_outbox(self):
        count = 0
        while len(self.outbox) and self.conn is not None:
            if not self._send_message(self.outbox.pop()):
                break
            count += 1
        if count:
            log("outbox flushed", "count", count)

    def send_status(self):
        """Sends the periodic status message: uptime, free heap, Wi-Fi signal, outbox drops."""
        gc.collect()
        status = {
            "type": "status",
            "uptime_s": time.ticks_diff(time.ticks_ms(), self.started) // 1000,
            "heap_free": gc.mem_free(),
            "heap_alloc": gc.mem_alloc(),
            "outbox_dropped": self.outbox.dropped,
        }
        log("status", "uptime_s", status["uptime_s"], "heap_free", status["heap_free"], "heap_alloc", status["heap_alloc"])
        self._send_message(json.dumps(status))

    def _close_handshake(self, code, reason):
        """Sends a close frame and reads (discarding) until the server's close or CLOSE_TIMEOUT_MS,
        then closes the socket."""
        conn = self.conn
        try:
            conn.send(OP_CLOSE, close_payload(code, reason))
            conn.discard_until_close(self.cfg["CLOSE_TIMEOUT_MS"])
        except ConnectionLost:
            pass
        log("closed", "code", code, "reason", reason, "by", "client")
        self._drop()


# ---------------------------------------------------------------------------------------------
# Entry points

_safe_mode = None


def safe_mode():
    """Why the client must not start automatically ("button" held or "file" present), or None.
    Decided once per boot, so boot.py and main.py agree."""
    global _safe_mode
    if _safe_mode is not None:
        return _safe_mode or None
    _safe_mode = ""
    try:
        os.stat(SAFE_MODE_FILE)
        _safe_mode = "file"
    except OSError:
        pass
    if not _safe_mode:
        try:
            from machine import Pin

            if Pin(SAFE_MODE_PIN, Pin.IN, Pin.PULL_UP).value() == 0:
                _safe_mode = "button"
        except ImportError:
            pass
    return _safe_mode or None


def main(on_message=None, cfg=None, on_tick=None):
    """Runs the client until Ctrl-C (which returns to the REPL) or a configured give-up."""
    global client
    try:
        client = Client(cfg or load_config(), on_message)
    except ConfigError as e:
        log("error", "kind", "config", "detail", str(e))
        return None
    try:
        client.run_forever(on_tick)
    except KeyboardInterrupt:
        try:
            if client.conn is not None:
                client._close_handshake(1001, "going away")
        except KeyboardInterrupt:
            client._drop()  # a second Ctrl-C (tools send two): skip the rest of the goodbye
        log("stopped", "reason", "interrupted")
    return client
