#!/usr/bin/env python3
"""A WebSocket server for developing the ESP32 client, on the Python standard library only (3.8+).

It accepts WebSocket connections on any path, echoes every message back, sends a test message to
every client every --interval seconds, answers pings, and logs each event on one line. Lines typed
on its standard input act on every connected client:

    any text          send it as a text message
    /close [CODE [REASON]]   close with a status code (default 1000)
    /drop             cut the TCP connections without a close frame
    /ping [DATA]      send a ping
    /frag TEXT        send TEXT as a message fragmented into three frames
    /big N            send a text message of N bytes
    /raw HEX          send raw bytes (for malformed frames), e.g. /raw 8301ff
    /mute             stop reading and answering (a half-open link, as the client sees it)
    /unmute           back to normal
    /quit             stop the server

With --control-port N the same commands are also taken, a line each, from TCP connections to port N
(how a test harness drives the server when it runs in a container and has no terminal).

    python3 test_server.py --port 8080 --interval 5
    python3 test_server.py --port 8080 --control-port 9000 --no-console
    python3 test_server.py --port 8443 --cert cert.pem --key key.pem     (wss://)
"""

import argparse
import asyncio
import base64
import hashlib
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE = 1 << 20
CLOSE_TEXTS = {1000: "normal", 1001: "going away", 1002: "protocol error", 1007: "invalid data",
               1009: "too big", 1011: "server error"}


def log(*parts):
    stamp = time.strftime("%H:%M:%S") + ".%03d" % (int(time.time() * 1000) % 1000)
    print("[server]", stamp, *parts, flush=True)


class ProtocolError(Exception):
    def __init__(self, code, reason):
        super().__init__(reason)
        self.code = code


class Client:
    def __init__(self, number, reader, writer):
        self.number = number
        self.reader = reader
        self.writer = writer
        peer = writer.get_extra_info("peername") or ("?", 0)
        self.peer = "%s:%s" % (peer[0], peer[1])
        self.closing = False

    def tag(self):
        return "#%d" % self.number

    def send_frame(self, opcode, payload=b"", fin=True):
        n = len(payload)
        b0 = (0x80 if fin else 0) | opcode
        if n < 126:
            header = struct.pack("!BB", b0, n)
        elif n < 65536:
            header = struct.pack("!BBH", b0, 126, n)
        else:
            header = struct.pack("!BBQ", b0, 127, n)
        self.writer.write(header + payload)

    def send_text(self, text):
        self.send_frame(0x1, text.encode())

    def close(self, code=1000, reason=""):
        if not self.closing:
            self.closing = True
            self.send_frame(0x8, struct.pack("!H", code) + reason.encode()[:123])

    def drop(self):
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            # SO_LINGER 0: the peer sees a TCP reset, as when a server crashes
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


class Server:
    def __init__(self, args):
        self.args = args
        self.clients = {}
        self.count = 0
        self.muted = False
        self.stopping = None

    async def handshake(self, client):
        request = await asyncio.wait_for(client.reader.readuntil(b"\r\n\r\n"), 10)
        lines = request.decode("latin1").split("\r\n")
        method, path, _ = (lines[0].split(" ") + ["", ""])[:3]
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        key = headers.get("sec-websocket-key", "")
        if method != "GET" or headers.get("upgrade", "").lower() != "websocket" or not key:
            client.writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            raise ProtocolError(1002, "not a WebSocket upgrade: %r" % lines[0])
        accept = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
        offered = [p.strip() for p in headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
        protocol = offered[0] if offered else None
        response = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Accept: " + accept]
        if protocol:
            response.append("Sec-WebSocket-Protocol: " + protocol)
        client.writer.write(("\r\n".join(response) + "\r\n\r\n").encode())
        names = sorted(h for h in headers if h not in ("sec-websocket-key", "authorization", "cookie"))
        shown = path.split("?")[0] + ("?<redacted>" if "?" in path else "")  # a query may hold a token
        log(client.tag(), "open", client.peer, "path=" + shown, "protocol=" + (protocol or "-"),
            "headers=" + ",".join(names))

    async def read_frame(self, client):
        b0, b1 = await client.reader.readexactly(2)
        if b0 & 0x70:
            raise ProtocolError(1002, "reserved bits set")
        if not b1 & 0x80:
            raise ProtocolError(1002, "unmasked frame from a client")
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", await client.reader.readexactly(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", await client.reader.readexactly(8))[0]
        if n > MAX_MESSAGE:
            raise ProtocolError(1009, "frame of %d bytes" % n)
        key = await client.reader.readexactly(4)
        data = bytearray(await client.reader.readexactly(n))
        for i in range(n):
            data[i] ^= key[i & 3]
        return bool(b0 & 0x80), b0 & 0x0F, bytes(data)

    async def serve(self, reader, writer):
        self.count += 1
        client = Client(self.count, reader, writer)
        log(client.tag(), "accept", client.peer)
        try:
            await self.handshake(client)
            self.clients[client.number] = client
            await self.talk(client)
        except ProtocolError as e:
            log(client.tag(), "error", "code=%d" % e.code, str(e))
            client.close(e.code, str(e))
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.TimeoutError):
            log(client.tag(), "lost", "(connection ended without a close frame)")
        except asyncio.CancelledError:
            pass  # the server is stopping
        finally:
            self.clients.pop(client.number, None)
            try:
                await writer.drain()
            except ConnectionError:
                pass
            writer.close()

    async def talk(self, client):
        message, kind = bytearray(), None
        while True:
            while self.muted:
                await asyncio.sleep(0.05)
            fin, op, data = await self.read_frame(client)
            if op == 0x9:
                log(client.tag(), "ping", "size=%d" % len(data))
                client.send_frame(0xA, data)
            elif op == 0xA:
                log(client.tag(), "pong", "size=%d" % len(data))
            elif op == 0x8:
                code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005
                reason = data[2:].decode("utf-8", "replace")
                log(client.tag(), "close", "code=%d" % code, "reason=%s" % json.dumps(reason),
                    "by=client" if not client.closing else "by=server")
                if not client.closing:
                    client.closing = True
                    client.send_frame(0x8, data[:2])
                return
            elif op in (0x0, 0x1, 0x2):
                if op != 0x0:
                    message, kind = bytearray(), op
                message.extend(data)
                if fin:
                    self.on_message(client, kind, bytes(message))
            else:
                raise ProtocolError(1002, "unknown opcode %d" % op)
            await client.writer.drain()

    def on_message(self, client, kind, data):
        if kind == 0x1:
            text = data.decode("utf-8", "replace")
            log(client.tag(), "text", "size=%d" % len(data), json.dumps(text[:200]))
            if not self.args.no_echo:
                client.send_text(text)
        else:
            log(client.tag(), "binary", "size=%d" % len(data))
            if not self.args.no_echo:
                client.send_frame(0x2, data)

    async def ticker(self):
        seq = 0
        while self.args.interval > 0:
            await asyncio.sleep(self.args.interval)
            seq += 1
            for client in list(self.clients.values()):
                if not self.muted:
                    client.send_text(json.dumps({"type": "test", "seq": seq, "time": time.time()}))

    def command(self, line):
        try:
            self.run_command(line)
        except (ValueError, IndexError) as e:
            log("bad command", repr(line), "(%s)" % e)

    def run_command(self, line):
        words = line.split(" ", 2)
        targets = list(self.clients.values())
        if line == "/quit":
            self.stopping.set()
        elif words[0] == "/close":
            code = int(words[1]) if len(words) > 1 and words[1] else 1000
            reason = words[2] if len(words) > 2 else CLOSE_TEXTS.get(code, "")
            for c in targets:
                log(c.tag(), "closing", "code=%d" % code)
                c.close(code, reason)
        elif line == "/drop":
            for c in targets:
                log(c.tag(), "drop")
                c.drop()
        elif words[0] == "/ping":
            for c in targets:
                c.send_frame(0x9, line[6:].encode())
        elif words[0] == "/frag":
            data = line[6:].encode()
            third = max(1, len(data) // 3)
            for c in targets:
                c.send_frame(0x1, data[:third], fin=False)
                c.send_frame(0x0, data[third:2 * third], fin=False)
                c.send_frame(0x0, data[2 * third:])
        elif words[0] == "/big":
            for c in targets:
                c.send_text("x" * int(words[1]))
        elif words[0] == "/raw":
            for c in targets:
                c.writer.write(bytes.fromhex(line[5:].replace(" ", "")))
        elif line in ("/mute", "/unmute"):
            self.muted = line == "/mute"
            log("muted" if self.muted else "unmuted")
        elif line.startswith("/"):
            log("unknown command", line, "(try /close /drop /ping /frag /big /raw /mute /unmute /quit)")
        elif line:
            for c in targets:
                c.send_text(line)

    async def control(self, reader, writer):
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                self.command(line.decode("utf-8", "replace").rstrip("\r\n"))
        except ConnectionError:
            pass
        writer.close()

    async def run(self):
        self.stopping = asyncio.Event()
        loop = asyncio.get_event_loop()
        tls = None
        if self.args.cert:
            tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls.load_cert_chain(self.args.cert, self.args.key)
        server = await asyncio.start_server(self.serve, self.args.host, self.args.port, ssl=tls)
        port = server.sockets[0].getsockname()[1]
        log("listening on %s://%s:%d/ (echo %s, test message every %ss)" % (
            "wss" if tls else "ws", self.args.host, port, "off" if self.args.no_echo else "on", self.args.interval))

        def read_stdin():
            for line in sys.stdin:
                loop.call_soon_threadsafe(self.command, line.rstrip("\r\n"))

        control = None
        if self.args.control_port is not None:
            control = await asyncio.start_server(self.control, self.args.host, self.args.control_port)
            log("commands on tcp port %d" % control.sockets[0].getsockname()[1])
        if not self.args.no_console:
            threading.Thread(target=read_stdin, daemon=True).start()
        ticker = asyncio.ensure_future(self.ticker())
        await self.stopping.wait()
        ticker.cancel()
        server.close()
        if control is not None:
            control.close()
        for c in list(self.clients.values()):
            c.close(1001, "server shutting down")


def main(argv=None):
    parser = argparse.ArgumentParser(description="WebSocket test server for the ESP32 client.")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between test messages (0: none)")
    parser.add_argument("--no-echo", action="store_true", help="do not echo messages back")
    parser.add_argument("--no-console", action="store_true", help="ignore standard input")
    parser.add_argument("--control-port", type=int, help="also take the console's commands from TCP connections to this port")
    parser.add_argument("--cert", help="PEM certificate: serve wss:// (with --key)")
    parser.add_argument("--key", help="PEM private key of --cert")
    args = parser.parse_args(argv)
    if bool(args.cert) != bool(args.key):
        parser.error("--cert and --key go together")
    for path in filter(None, (args.cert, args.key)):
        if not os.path.isfile(path):
            parser.error("no such file: %s" % path)
    try:
        asyncio.run(Server(args).run())
    except KeyboardInterrupt:
        pass
    except ssl.SSLError as e:
        print("test_server: cannot use %s / %s: %s" % (args.cert, args.key, e), file=sys.stderr)
        return 1
    except OSError as e:
        print("test_server: cannot listen on %s:%d: %s" % (args.host, args.port, e.strerror or e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
