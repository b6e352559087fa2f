'use strict';
// The bench's control channel: JSON lines over a loopback TCP socket. Each command line gets one
// reply line ({"ok":true,...} or {"ok":false,"error":...}, echoing "id"); board events are pushed
// to every connected client as {"event":...} lines.
const net = require('node:net');
const { parseAccessPoints, LOSS_MODES } = require('./wifi');

class ControlChannel {
  constructor(board, { onShutdown }) {
    this.board = board;
    this.onShutdown = onShutdown;
    this.clients = new Set();
    board.on('event', (ev) => this.broadcast(ev));
  }

  listen(port) {
    return new Promise((resolve, reject) => {
      this.server = net.createServer((sock) => this.accept(sock));
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve(this.server.address().port));
    });
  }

  accept(sock) {
    this.clients.add(sock);
    sock.setNoDelay(true);
    let pending = '';
    sock.on('data', (d) => {
      pending += d.toString('utf8');
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line) this.handle(sock, line);
      }
    });
    sock.on('close', () => this.clients.delete(sock));
    sock.on('error', () => this.clients.delete(sock));
  }

  send(sock, obj) {
    if (!sock.destroyed) sock.write(JSON.stringify(obj) + '\n');
  }

  broadcast(ev) {
    for (const sock of this.clients) this.send(sock, ev);
  }

  async handle(sock, line) {
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      this.send(sock, { ok: false, error: `not JSON: ${line.slice(0, 80)}` });
      return;
    }
    const id = msg && msg.id;
    try {
      const result = await this.execute(msg);
      this.send(sock, { id, ok: true, ...result });
    } catch (err) {
      this.send(sock, { id, ok: false, error: err.message });
    }
  }

  async execute(msg) {
    const board = this.board;
    const need = (key, type) => {
      if (typeof msg[key] !== type) throw new Error(`"${msg.cmd}" needs "${key}" (${type})`);
      return msg[key];
    };
    switch (msg && msg.cmd) {
      case 'power_cycle':
        await board.reset('power');
        return {};
      case 'reset':
        await board.reset('button');
        return {};
      case 'wifi_down': {
        const mode = msg.mode === undefined ? 'silent' : msg.mode;
        if (!LOSS_MODES.includes(mode)) throw new Error(`"mode" must be ${LOSS_MODES.map((m) => `"${m}"`).join(' or ')}`);
        board.setWifiRadio(false, mode);
        return {};
      }
      case 'wifi_up':
        board.setWifiRadio(true);
        return {};
      case 'set_aps': {
        const aps = Array.isArray(msg.aps) ? msg.aps : parseAccessPoints(need('spec', 'string'));
        for (const ap of aps) if (!ap || typeof ap.ssid !== 'string') throw new Error('each access point needs "ssid"');
        board.setAccessPoints(aps.map((ap) => ({ ssid: ap.ssid, password: ap.password || '', rssi: ap.rssi })));
        return {};
      }
      case 'set_pin':
        board.setInput(need('pin', 'number'), need('value', 'number'));
        return {};
      case 'set_adc':
        board.setAdc(need('pin', 'number'), need('value', 'number'));
        return {};
      case 'pins':
        return board.pinState();
      case 'info':
        return { engine: board.engine };
      case 'heap':
        return { heap: msg.live ? await board.liveHeap() : board.heap };
      case 'wifi':
        return { status: board.wifi.status, connected: board.wifi.connected, radio: board.wifi.radioUp };
      case 'shutdown':
        setImmediate(() => this.onShutdown());
        return {};
      default:
        throw new Error(`unknown command ${JSON.stringify(msg && msg.cmd)}`);
    }
  }

  close() {
    for (const sock of this.clients) sock.destroy();
    if (this.server) this.server.close();
  }
}

module.exports = { ControlChannel };
