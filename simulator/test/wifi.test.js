'use strict';
// The Wi-Fi station against MicroPython's ESP32 port (ports/esp32/network_wlan.c): status() maps the
// driver's last disconnect reason, and the port reconnects after every disconnect while a connection
// is requested, so a board rejoins by itself.
const { test } = require('node:test');
const assert = require('node:assert');
const net = require('node:net');
const { Sim, Control, tempDir, rawExec } = require('./helpers');

const JOIN = "import network, time\nw = network.WLAN(network.STA_IF)\nw.active(True)\nw.connect('lab', 'pw')\n" +
  "for _ in range(100):\n    if w.isconnected(): break\n    time.sleep_ms(20)\nprint('joined', w.isconnected())";

async function board(t, extra = []) {
  const sim = new Sim(['--flash', tempDir(), '--wifi', 'lab:pw,cafe:', '--join-ms', '50', '--control', '0', ...extra]);
  t.after(() => sim.kill());
  await sim.expect('>>> ');
  const ctl = await Control.connect(await sim.controlPort());
  t.after(() => ctl.close());
  return { sim, ctl };
}

function echoServer(t) {
  return new Promise((resolve) => {
    const server = net.createServer((s) => s.on('error', () => {}).pipe(s));
    t.after(() => server.close());
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

const status = (code) => (l) => l.event === 'wifi' && l.status === code;

// A server that keeps the peer's end of each connection, to write to it later.
function keepingServer(t) {
  return new Promise((resolve) => {
    const peers = [];
    const server = net.createServer((s) => {
      s.on('error', (e) => (s.failed = e.code));
      peers.push(s);
      s.pipe(s);
    });
    t.after(() => {
      for (const p of peers) p.destroy();
      server.close();
    });
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, peers }));
  });
}

// A silent access point: isconnected() stays True and frames stall until the station's inactive time
// (ESP-IDF esp_wifi_set_inactive_time, "Default 6s"); back before that, the stalled connection
// carries on, as TCP retransmits what waited.
test('an access point silent for less than the inactive time stalls a connection, which then carries on', async (t) => {
  const port = await echoServer(t);
  const { sim, ctl } = await board(t, ['--wifi-inactive-ms', '60000']);
  await rawExec(sim, JOIN + `\nimport socket\ns = socket.socket()\ns.connect(('127.0.0.1', ${port}))`);
  await ctl.send({ cmd: 'wifi_down', mode: 'silent' });
  const [during] = await rawExec(sim, "s.settimeout(0.1)\ns.write(b'a')\nprint(w.isconnected(), w.status())\n" +
    'try:\n    s.recv(1)\nexcept OSError as e:\n    print(e.errno)');
  assert.strictEqual(during, 'True 1010\r\n116\r\n');
  await ctl.send({ cmd: 'wifi_up' });
  const [after] = await rawExec(sim, 's.settimeout(2)\nprint(w.isconnected(), s.recv(1))');
  assert.strictEqual(after, "True b'a'\r\n");
});

// Past the inactive time the association ends with reason 200, which status() shows as 1001 while
// the port reconnects (network_wlan.c:397-401), then 201 once a retry finds no access point (383).
// Leaving the network brings the interface down: ESP-IDF's esp_netif_down sets its address to
// 0.0.0.0 and lwIP aborts every TCP connection bound to the old one (tcp_netif_ip_addr_changed ->
// tcp_abort), so the socket raises ECONNABORTED (newlib 113) at once; the reset lwIP sends cannot
// leave, so the peer learns of it only when it sends after the board is back: the board no longer
// knows the connection and resets it. connect() into the reconnecting driver raises "Wifi Internal
// Error" (network_common.c:62-63; micropython/micropython#17661); the driver rejoins by itself.
test('a silent access point is noticed after the inactive time: connections are aborted, the driver rejoins', async (t) => {
  const { port, peers } = await keepingServer(t);
  const { sim, ctl } = await board(t, ['--wifi-inactive-ms', '600']);
  await rawExec(sim, JOIN + `\nimport socket\ns = socket.socket()\ns.connect(('127.0.0.1', ${port}))`);
  ctl.lines.length = 0; // the join's own events
  const down = Date.now();
  await ctl.send({ cmd: 'wifi_down', mode: 'silent' });
  await rawExec(sim, "s.write(b'lost')");
  await ctl.waitFor(status(1001));
  assert.ok(Date.now() - down >= 550, `the station noticed after ${Date.now() - down} ms`);
  await ctl.waitFor((l) => l.event === 'socket' && l.action === 'abort');
  const [aborted] = await rawExec(sim, 's.settimeout(5)\nfor _ in range(2):\n    try:\n        s.recv(1)\n    except OSError as e:\n        print(e)');
  assert.strictEqual(aborted, '[Errno 113] ECONNABORTED\r\n[Errno 113] ECONNABORTED\r\n');
  await ctl.waitFor(status(201));
  const [busy] = await rawExec(sim, "try:\n    w.connect('lab', 'pw')\nexcept OSError as e:\n    print(repr(e))\nprint(w.isconnected(), w.status())");
  assert.strictEqual(busy, "OSError('Wifi Internal Error',)\r\nFalse 201\r\n");
  await ctl.send({ cmd: 'wifi_up' });
  await ctl.waitFor(status(1010));
  assert.strictEqual(peers.length, 1);
  const peer = peers[0];
  assert.strictEqual(peer.bytesRead, 0, 'what the board wrote while away died with the connection');
  peer.write('late');
  await ctl.waitFor((l) => l.event === 'socket' && l.action === 'reset');
  await new Promise((resolve) => (peer.destroyed ? resolve() : peer.once('close', resolve)));
  assert.strictEqual(peer.failed, 'ECONNRESET');
});

// A deauthenticating access point (a graceful shutdown) ends the association at once, and with it
// every TCP connection (ECONNABORTED, as above); while it is away a new TCP connection has no route
// (EHOSTUNREACH, newlib 118).
test('a deauthenticating access point is noticed at once; connections abort, connects fail with EHOSTUNREACH', async (t) => {
  const port = await echoServer(t);
  const { sim, ctl } = await board(t, ['--wifi-inactive-ms', '60000']);
  await rawExec(sim, JOIN + `\nimport socket\nold = socket.socket()\nold.connect(('127.0.0.1', ${port}))`);
  ctl.lines.length = 0;
  await ctl.send({ cmd: 'wifi_down', mode: 'deauth' });
  await ctl.waitFor(status(1001), 2000);
  await ctl.waitFor(status(201), 2000);
  const [out] = await rawExec(sim, `try:\n    old.send(b'x')\nexcept OSError as e:\n    print(e.errno)\n` +
    `s = socket.socket()\ntry:\n    s.connect(('127.0.0.1', ${port}))\nexcept OSError as e:\n    print(w.isconnected(), e.errno)`);
  assert.strictEqual(out, '113\r\nFalse 118\r\n');
  const reply = await ctl.send({ cmd: 'wifi_down', mode: 'unplugged' });
  assert.deepStrictEqual([reply.ok, reply.error], [false, '"mode" must be "silent" or "deauth"']);
});

// A wrong password: most access points answer with a 4-way handshake timeout (reason 15, not mapped:
// status() stays 1001 CONNECTING), some with AUTH_FAIL (202); the driver retries either way
// (network_wlan.c:137-139, 148-167), so fixing the access point's password lets the board join by itself.
for (const [variant, shown] of [['handshake-timeout', 1001], ['auth-fail', 202]]) {
  test(`a wrong password (${variant}) shows ${shown} while the driver retries, and heals by itself`, async (t) => {
    const { sim, ctl } = await board(t, ['--wrong-password', variant]);
    const [out] = await rawExec(sim, "import network, time\nw = network.WLAN(network.STA_IF)\nw.active(True)\nw.connect('lab', 'wrong')\n" +
      'time.sleep_ms(100)\nseen = set()\nfor _ in range(20):\n    time.sleep_ms(20)\n    seen.add(w.status())\nprint(sorted(seen), w.isconnected())');
    assert.strictEqual(out, `[${shown}] False\r\n`);
    await ctl.send({ cmd: 'set_aps', spec: 'lab:wrong' });
    await ctl.waitFor(status(1010));
  });
}

test('a missing access point is 201, an open one joins, disconnect() is 1000, scan lists both', async (t) => {
  const { sim } = await board(t);
  const [out] = await rawExec(sim, "import network, time\nw = network.WLAN(network.STA_IF)\nw.active(True)\n" +
    // after disconnect() the reason is ASSOC_LEAVE, so status() is 1000 until the next join's outcome
    "def settle(ssid, key):\n    w.disconnect()\n    w.connect(ssid, key)\n    for _ in range(100):\n        time.sleep_ms(20)\n" +
    "        if w.status() not in (network.STAT_CONNECTING, network.STAT_IDLE): return w.status()\n" +
    "print(settle('nowhere', 'x') == network.STAT_NO_AP_FOUND)\nprint(settle('cafe', '') == network.STAT_GOT_IP)\n" +
    "w.disconnect()\nprint(w.status(), [n[0] for n in w.scan()])");
  assert.strictEqual(out, "True\r\nTrue\r\n1000 [b'lab', b'cafe']\r\n");
});

// config(reconnects=0): the port does not reconnect (conf = reconnects + 1, network_wlan.c:164-168, 637),
// and status() then passes the reason through: 200 STAT_BEACON_TIMEOUT (397-407).
test('with reconnects=0 the driver gives up after a loss and status() is the reason, 200', async (t) => {
  const { sim, ctl } = await board(t, ['--wifi-inactive-ms', '100']);
  const [joined] = await rawExec(sim, JOIN + '\nw.config(reconnects=0)\nprint(w.config("reconnects"))');
  assert.strictEqual(joined, 'joined True\r\n0\r\n');
  ctl.lines.length = 0;
  await ctl.send({ cmd: 'wifi_down' });
  await ctl.waitFor(status(200));
  await ctl.send({ cmd: 'wifi_up' });
  const [out] = await rawExec(sim, 'time.sleep_ms(300)\nprint(w.status(), w.isconnected())');
  assert.strictEqual(out, '200 False\r\n');
});

// network.WLAN is a type with the 1.24+ constants, and WLAN(STA_IF) is always the same object
// (network_wlan.c:755-790, network_wlan_make_new); status() is for the station only (402).
test('network.WLAN is a type with IF_*, SEC_* and PM_* constants and one object per interface', async (t) => {
  const { sim } = await board(t);
  const [out] = await rawExec(sim, 'import network\nW = network.WLAN\n' +
    'print(type(W) is type, W.IF_STA, W.IF_AP, W.SEC_WPA2, W.PM_POWERSAVE, W(W.IF_STA) is W(), W(1).status())');
  assert.strictEqual(out, 'True 0 1 3 2 True None\r\n');
});

test('esp32sim refuses an unknown wrong-password variant with its usage and exit 2', async () => {
  const sim = new Sim(['--wrong-password', 'sometimes']);
  assert.strictEqual(await sim.exited, 2);
  assert.match(sim.err, /--wrong-password is handshake-timeout or auth-fail, got "sometimes"/);
  assert.match(sim.err, /usage: esp32sim/);
});
