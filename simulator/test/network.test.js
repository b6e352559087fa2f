'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const net = require('node:net');
const tls = require('node:tls');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Sim, Control, tempDir, rawExec } = require('./helpers');

const JOIN = "import network\nw = network.WLAN(network.STA_IF)\nw.active(True)\nw.connect('lab', 'pw')\n" +
  "import time\nfor _ in range(100):\n    if w.isconnected(): break\n    time.sleep_ms(20)\nprint('joined', w.isconnected())";

function echoServer() {
  return new Promise((resolve) => {
    const server = net.createServer((s) => s.on('error', () => {}).pipe(s));
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// A fresh self-signed certificate for localhost: {key, cert} file paths.
function certificate() {
  const dir = tempDir('esp32sim-tls-');
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key,
    '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
  return { key, cert };
}

async function bootedSim(t, extra = []) {
  const sim = new Sim(['--flash', tempDir(), '--wifi', 'lab:pw,cafe:', '--join-ms', '50', '--control', '0', ...extra]);
  t.after(() => sim.kill());
  await sim.expect('>>> ');
  return sim;
}

test('TCP echo through the board socket module against a local server', async (t) => {
  const server = await echoServer();
  t.after(() => server.close());
  const sim = await bootedSim(t);
  const [out, err] = await rawExec(
    sim,
    JOIN + `\nimport socket\nai = socket.getaddrinfo('localhost', ${server.address().port})[0][-1]\n` +
      's = socket.socket()\ns.settimeout(2)\ns.connect(ai)\ns.write(b"ping\\n")\nprint(s.readline())\n' +
      's.sendall(bytes(range(256)))\nbuf = b""\nwhile len(buf) < 256:\n    buf += s.recv(256)\nprint(buf == bytes(range(256)))\ns.close()',
  );
  assert.strictEqual(err, '');
  assert.strictEqual(out, "joined True\r\nb'ping\\n'\r\nTrue\r\n");
});

// A refused connect is ECONNRESET (104) on a board: lwIP reports the SYN's RST as ERR_RST
// (MP ports/esp32/modsocket.c:442-470; micropython/micropython#5788).
test('a socket read times out with ETIMEDOUT and a refused connect says ECONNRESET, as lwIP does', async (t) => {
  const server = await echoServer();
  t.after(() => server.close());
  const closed = net.createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const refusedPort = closed.address().port;
  closed.close();
  const sim = await bootedSim(t);
  const [out] = await rawExec(
    sim,
    JOIN + `\nimport socket\ns = socket.socket()\ns.settimeout(0.2)\ns.connect(('127.0.0.1', ${server.address().port}))\n` +
      'try:\n    s.recv(10)\nexcept OSError as e:\n    print("recv", e.errno)\ns.close()\n' +
      `c = socket.socket()\ntry:\n    c.connect(('127.0.0.1', ${refusedPort}))\nexcept OSError as e:\n    print("connect", e.errno)`,
  );
  assert.strictEqual(out, 'joined True\r\nrecv 116\r\nconnect 104\r\n');
});

// The ESP32 port's errno numbers are newlib's (MP ports/esp32/mpconfigport.h:68, MICROPY_USE_INTERNAL_ERRNO 0;
// newlib sys/errno.h), named by MP py/moderrno.c's errorcode table: a timeout prints "[Errno 116] ETIMEDOUT".
test('errors carry newlib errno numbers and print with their names as on a board, tracebacks too', async (t) => {
  const server = await echoServer();
  t.after(() => server.close());
  const sim = await bootedSim(t);
  const [out] = await rawExec(
    sim,
    JOIN + `\nimport socket, errno\ns = socket.socket()\ns.settimeout(0.1)\ns.connect(('127.0.0.1', ${server.address().port}))\n` +
      'from errno import ETIMEDOUT, ECONNABORTED, EHOSTUNREACH, EINPROGRESS, ENOTCONN\n' +
      'try:\n    s.recv(10)\nexcept OSError as e:\n    print(type(e).__name__, e.errno == ETIMEDOUT, str(e), repr(e))\n' +
      'print(ETIMEDOUT, ECONNABORTED, EHOSTUNREACH, EINPROGRESS, ENOTCONN, errno.errorcode[113])\n' +
      'import sys\ntry:\n    s.recv(10)\nexcept OSError as e:\n    sys.print_exception(e)',
  );
  assert.strictEqual(
    out,
    "joined True\r\nOSError True [Errno 116] ETIMEDOUT OSError(116,)\r\n116 113 118 119 128 ECONNABORTED\r\n" +
      'Traceback (most recent call last):\r\n  File "<stdin>", line 22, in <module>\r\nOSError: [Errno 116] ETIMEDOUT\r\n',
  );
  // Tracebacks the interpreter prints in C are named from the board's table too: 113 is ECONNABORTED,
  // and 110 (newlib's ESHUTDOWN, not in MicroPython's table) has no name.
  for (const [n, shown] of [[113, '[Errno 113] ECONNABORTED'], [110, '110'], [116, '[Errno 116] ETIMEDOUT']]) {
    const [, err] = await rawExec(sim, `raise OSError(${n})`);
    assert.strictEqual(err, `Traceback (most recent call last):\r\n  File "<stdin>", line 1, in <module>\r\nOSError: ${shown}\r\n`);
  }
});

// A soft reboot runs gc_sweep_all(): every socket's finaliser closes it (MP ports/esp32/main.c:212); Wi-Fi stays up.
test('a soft reboot closes every socket the program left open, and the server sees it end', async (t) => {
  const ended = [];
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.on('end', () => ended.push('fin'));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const sim = await bootedSim(t);
  const [out] = await rawExec(sim, JOIN + `\nimport socket\nkeep = socket.socket()\nkeep.connect(('127.0.0.1', ${server.address().port}))\nprint('open')`);
  assert.strictEqual(out, 'joined True\r\nopen\r\n');
  sim.write('\x04'); // Ctrl-D at the friendly REPL
  await sim.expect('MPY: soft reboot');
  await new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('the server never saw the connection end')), 5000);
    const poll = setInterval(() => {
      if (ended.length) {
        clearInterval(poll);
        clearTimeout(deadline);
        resolve();
      }
    }, 20);
  });
  await sim.expect('>>> ');
  const [after] = await rawExec(sim, 'import network\nprint(network.WLAN(network.STA_IF).isconnected())');
  assert.strictEqual(after, 'True\r\n');
});

// getaddrinfo: an IP literal resolves without DNS, link down or not; the tuple has the hints' proto and
// the host as canonname; a name without a link is OSError(-202) (MP ports/esp32/modsocket.c:255-265,930-986).
test('getaddrinfo answers an IP literal offline with the board tuple, and a name offline with -202', async (t) => {
  const sim = await bootedSim(t);
  const [out] = await rawExec(sim, 'import socket\nprint(socket.getaddrinfo("127.0.0.1", 80))\n' +
    'try:\n    socket.getaddrinfo("example.com", 80)\nexcept OSError as e:\n    print(e.errno)');
  assert.strictEqual(out, "[(2, 1, 0, '127.0.0.1', ('127.0.0.1', 80))]\r\n-202\r\n");
});

// A failed check raises ValueError with mbedTLS's verify text (MP extmod/modtls_mbedtls.c:699-715);
// ssl.SSLContext verifies nothing unless told (micropython-lib python-stdlib/ssl/ssl.py); an SSLSocket
// has send/recv (modtls_mbedtls.c:893-914, since v1.25).
test('TLS to a local TLS server, verified against its CA once the board clock is set; an unknown CA is refused', async (t) => {
  const { key, cert } = certificate();
  const server = tls.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (s) => s.on('error', () => {}).pipe(s));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const port = server.address().port;
  const sim = await bootedSim(t);
  const pem = fs.readFileSync(cert, 'utf8');
  // The board's clock reads 2000 after power-on: mbedTLS finds the certificate not valid yet.
  const [early] = await rawExec(
    sim,
    JOIN + `\nimport socket, ssl\nCA = ${JSON.stringify(pem)}\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n` +
      `ctx.load_verify_locations(cadata=CA)\nctx.verify_mode = ssl.CERT_REQUIRED\ns = socket.socket()\ns.connect(('127.0.0.1', ${port}))\n` +
      "try:\n    ctx.wrap_socket(s, server_hostname='localhost')\nexcept ValueError as e:\n    print(repr(str(e)))\n" +
      `import machine, time\nt = time.gmtime(${Math.floor(Date.now() / 1000) - 946684800})\n` +
      'machine.RTC().datetime((t[0], t[1], t[2], t[6], t[3], t[4], t[5], 0))',
  );
  assert.strictEqual(early, "joined True\r\n'\\nThe certificate validity starts in the future\\n'\r\n");
  const [out, err] = await rawExec(
    sim,
    JOIN + `\nimport socket, ssl\nCA = ${JSON.stringify(pem)}\n` +
      "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\nctx.load_verify_locations(cadata=CA)\nctx.verify_mode = ssl.CERT_REQUIRED\n" +
      `s = socket.socket()\ns.connect(('127.0.0.1', ${port}))\nss = ctx.wrap_socket(s, server_hostname='localhost')\n` +
      "ss.write(b'secret hello')\nprint(ss.read(12))\nprint(len(ss.getpeercert(True)) > 100)\nss.send(b'again')\nprint(ss.recv(5))\nss.close()\n" +
      "def refused(ca):\n    s2 = socket.socket()\n" +
      `    s2.connect(('127.0.0.1', ${port}))\n    ctx2 = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n` +
      "    print(ctx2.verify_mode == ssl.CERT_NONE)\n    ctx2.verify_mode = ssl.CERT_REQUIRED\n" +
      "    if ca:\n        ctx2.load_verify_locations(cadata=ca)\n" +
      "    try:\n        ctx2.wrap_socket(s2, server_hostname='localhost')\n    except ValueError as e:\n        print(repr(str(e)))\n" +
      "    except OSError as e:\n        print(e.errno, e.args[1])\n    s2.close()\n" +
      `refused(${JSON.stringify(fs.readFileSync(certificate().cert, 'utf8'))})\nrefused(None)`,
  );
  assert.strictEqual(err, '');
  // Another CA does not vouch for it; no CA at all is mbedTLS's MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED.
  assert.strictEqual(out, "joined True\r\nb'secret hello'\r\nTrue\r\nb'again'\r\n" +
    "True\r\n'\\nThe certificate is not correctly signed by the trusted CA\\n'\r\n" +
    'True\r\n-30336 SSL - No CA Chain is set, but required to operate\r\n');
});

test('select.poll waits in the host for board sockets, and hashlib has the sha1 a board has', async (t) => {
  const server = await echoServer();
  t.after(() => server.close());
  const sim = await bootedSim(t);
  const [out, err] = await rawExec(
    sim,
    JOIN + `\nimport socket, select, time, hashlib\ns = socket.socket()\ns.connect(('127.0.0.1', ${server.address().port}))\n` +
      's.setblocking(False)\np = select.poll()\np.register(s, select.POLLIN)\nt0 = time.ticks_ms()\n' +
      'print(p.poll(200), time.ticks_diff(time.ticks_ms(), t0) >= 190)\ns.write(b"x")\n' +
      'r = p.poll(2000)\nprint(r[0][0] is s, r[0][1] & select.POLLIN, s.read(5), s.read(5))\n' +
      'print(hashlib.sha1(b"abc").digest().hex())',
  );
  assert.strictEqual(err, '');
  assert.strictEqual(out, "joined True\r\n[] True\r\nTrue 1 b'x' None\r\na9993e364706816aba3e25717850c26c9cd0d89d\r\n");
});

// lwIP's send buffer is 5,760 bytes (ESP-IDF CONFIG_LWIP_TCP_SND_BUF_DEFAULT): once a peer that stops
// reading has a full receive window, a non-blocking write returns None, send() on a socket with a
// timeout raises ETIMEDOUT, POLLOUT is not reported (MP ports/esp32/modsocket.c _socket_send,
// socket_stream_write; py/stream.c mp_stream_write), and all of it comes back when the peer reads.
test('a peer that stops reading fills the send buffer: writes return None, send times out, POLLOUT waits', async (t) => {
  let peer = null;
  let received = 0;
  const server = net.createServer((s) => {
    peer = s;
    s.on('error', () => {});
    s.pause();
    s.on('data', (d) => (received += d.length));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const sim = await bootedSim(t);
  const [out, err] = await rawExec(
    sim,
    JOIN + `\nimport socket, select\ns = socket.socket()\ns.connect(('127.0.0.1', ${server.address().port}))\n` +
      // until the peer's receive window is shut too: no room for 300 ms
      's.setblocking(False)\np = select.poll()\np.register(s, select.POLLOUT)\nchunk = bytes(1024)\ntotal = 0\n' +
      'while total < 16 * 1024 * 1024:\n    n = s.write(chunk)\n    if n is None and not p.poll(300): break\n' +
      '    total += n or 0\nprint("stalled", 5760 < total < 1024 * 1024)\nprint("pollout", p.poll(50))\n' +
      's.settimeout(0.2)\ntry:\n    s.send(chunk)\nexcept OSError as e:\n    print("send", e.errno)',
    20000,
  );
  assert.strictEqual(err, '');
  assert.strictEqual(out, 'joined True\r\nstalled True\r\npollout []\r\nsend 116\r\n');
  peer.resume();
  const [after] = await rawExec(sim, 'print("pollout", [e for _, e in p.poll(5000)])\ns.settimeout(5)\ns.sendall(chunk)\nprint("sent")');
  assert.strictEqual(after, 'pollout [4]\r\nsent\r\n');
});

// lwIP closes with a reset when received data is still unread (lwIP tcp_close_shutdown; RFC 1122
// section 4.2.2.13), and with a FIN otherwise.
test('close() with unread data resets the connection; with nothing unread it ends it', async (t) => {
  const seen = [];
  const server = net.createServer((s) => {
    s.on('error', (e) => seen.push(e.code));
    s.on('end', () => seen.push('end'));
    s.on('data', (d) => {
      if (d.toString() === 'talk') s.write('unread');
    });
    s.resume();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const sim = await bootedSim(t);
  const port = server.address().port;
  await rawExec(sim, JOIN + `\nimport socket, select\nquiet = socket.socket()\nquiet.connect(('127.0.0.1', ${port}))\nquiet.close()\n` +
    `s = socket.socket()\ns.connect(('127.0.0.1', ${port}))\ns.write(b'talk')\np = select.poll()\np.register(s, select.POLLIN)\np.poll(2000)\ns.close()`);
  const deadline = Date.now() + 5000;
  while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepStrictEqual(seen, ['end', 'ECONNRESET']);
});

// UDP (what ntptime and SNTP need): datagrams go out and come back while the link is up; without a
// network sendto has no route (EHOSTUNREACH); recv times out with ETIMEDOUT.
test('UDP: sendto and recv/recvfrom through the host, a timeout, and no route without Wi-Fi', async (t) => {
  const dgram = require('node:dgram');
  const server = dgram.createSocket('udp4');
  server.on('message', (msg, rinfo) => server.send(Buffer.concat([Buffer.from('re:'), msg]), rinfo.port, rinfo.address));
  await new Promise((r) => server.bind(0, '127.0.0.1', r));
  t.after(() => server.close());
  const port = server.address().port;
  const sim = await bootedSim(t);
  const [offline] = await rawExec(sim, `import socket\nu = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n` +
    `try:\n    u.sendto(b'x', ('127.0.0.1', ${port}))\nexcept OSError as e:\n    print(e.errno)\nu.close()`);
  assert.strictEqual(offline, '118\r\n');
  const [out, err] = await rawExec(sim, JOIN + `\nimport socket\nu = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nu.settimeout(2)\n` +
    `print(u.sendto(b'ping', ('127.0.0.1', ${port})))\nprint(u.recv(48))\nu.sendto(b'again', ('127.0.0.1', ${port}))\n` +
    `d, a = u.recvfrom(48)\nprint(d, a == ('127.0.0.1', ${port}))\nu.settimeout(0.1)\n` +
    'try:\n    u.recv(48)\nexcept OSError as e:\n    print(e.errno)\nu.close()');
  assert.strictEqual(err, '');
  assert.strictEqual(out, "joined True\r\n4\r\nb're:ping'\r\nb're:again' True\r\n116\r\n");
});

// The frozen ntptime module (micropython-lib micropython/net/ntptime; ports/esp32/boards/manifest.py):
// SNTP over UDP to port 123 of `host`, seconds since 2000 from the answer's transmit time, settime()
// sets the RTC. Port 123 needs the privilege to bind it, so without it this test is skipped.
test('ntptime asks port 123 of ntptime.host and settime() sets the board clock', async (t) => {
  const dgram = require('node:dgram');
  const server = dgram.createSocket('udp4');
  const when = Date.UTC(2026, 11, 2, 1, 30, 15) / 1000; // Unix seconds
  server.on('message', (msg, rinfo) => {
    const answer = Buffer.alloc(48);
    answer[0] = 0x24; // version 4, server
    answer.writeUInt32BE(when + 2208988800, 40); // NTP counts from 1900
    server.send(answer, rinfo.port, rinfo.address);
  });
  const bound = await new Promise((resolve) => {
    server.once('error', (e) => resolve(e.code));
    server.bind(123, '127.0.0.1', () => resolve('ok'));
  });
  if (bound !== 'ok') return t.skip(`cannot bind UDP port 123 here (${bound})`);
  t.after(() => server.close());
  const sim = await bootedSim(t);
  const [offline] = await rawExec(sim, "import ntptime\ntry:\n    ntptime.time()\nexcept OSError as e:\n    print(e.errno, ntptime.host, ntptime.timeout)");
  assert.strictEqual(offline, '-202 pool.ntp.org 1\r\n');
  const [out, err] = await rawExec(sim, JOIN + "\nimport time\nntptime.host = '127.0.0.1'\nprint(ntptime.time())\n" +
    'print(time.gmtime()[0])\nntptime.settime()\nprint(time.gmtime()[:6])');
  assert.strictEqual(err, '');
  assert.strictEqual(out, `joined True\r\n${when - 946684800}\r\n2000\r\n(2026, 12, 2, 1, 30, 15)\r\n`);
});

// The end of a TLS connection reads as b'', whether a close_notify came first or not: mbedtls_ssl_read
// returns 0 for MBEDTLS_ERR_SSL_CONN_EOF as for the alert (mbedTLS library/ssl_msg.c; ESP-IDF's
// dynamic-buffer wrapper of mbedtls_ssl_read does the same). The board speaks TLS 1.2 (ESP-IDF
// leaves MBEDTLS_SSL_PROTO_TLS1_3 off).
test('TLS: the end of the connection reads as b"", with a close_notify or without', async (t) => {
  const { key, cert } = certificate();
  const opts = { key: fs.readFileSync(key), cert: fs.readFileSync(cert), isServer: true };
  const server = net.createServer((raw) => {
    const s = new tls.TLSSocket(raw, opts);
    s.on('error', () => {});
    s.on('data', (d) => {
      const how = d.toString();
      s.write('bye', () => (how === 'ragged' ? setTimeout(() => raw.destroy(), 50) : s.end()));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const sim = await bootedSim(t);
  const [out, err] = await rawExec(
    sim,
    JOIN + '\nimport socket, ssl\ndef session(how):\n    s = socket.socket()\n' +
      `    s.connect(('127.0.0.1', ${server.address().port}))\n    ss = ssl.wrap_socket(s)\n    ss.write(how)\n` +
      '    version = ss.cipher()[1]\n    got = [ss.read(3)]\n    for _ in range(2):\n        try:\n            got.append(ss.read(3))\n' +
      '        except OSError as e:\n            got.append(e.errno)\n    ss.close()\n    return got, version\n' +
      "print(session(b'clean'))\nprint(session(b'ragged'))",
  );
  assert.strictEqual(err, '');
  assert.strictEqual(out, "joined True\r\n([b'bye', b'', b''], 'TLSv1.2')\r\n([b'bye', b'', b''], 'TLSv1.2')\r\n");
});

// Power off (or a chip reset) while a TLS connection is open: the peer sees the TCP connection reset.
test('a reset board drops its TLS connection with a TCP reset', async (t) => {
  const { key, cert } = certificate();
  const seen = [];
  const server = tls.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (s) => {
    s.on('error', (e) => seen.push(e.code));
    s.on('end', () => seen.push('end'));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const sim = await bootedSim(t);
  const ctl = await Control.connect(await sim.controlPort());
  t.after(() => ctl.close());
  const [out] = await rawExec(sim, JOIN + `\nimport socket, ssl\ns = socket.socket()\ns.connect(('127.0.0.1', ${server.address().port}))\n` +
    "ss = ssl.wrap_socket(s)\nss.write(b'x')\nprint('open')");
  assert.strictEqual(out, 'joined True\r\nopen\r\n');
  assert.strictEqual((await ctl.send({ cmd: 'reset' })).ok, true);
  const deadline = Date.now() + 5000;
  while (!seen.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepStrictEqual(seen, ['ECONNRESET']);
});
