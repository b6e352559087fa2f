'use strict';
const { BoardError } = require('./errors');
// The Wi-Fi radio of one board: which access points exist, joining with a realistic delay, and the
// ESP32's status codes. A join keeps retrying in the background like the ESP32 driver does, so a
// board re-associates by itself when its access point comes back.
const STAT = {
  IDLE: 1000,
  CONNECTING: 1001,
  GOT_IP: 1010,
  BEACON_TIMEOUT: 200,
  NO_AP_FOUND: 201,
  WRONG_PASSWORD: 202,
};

const ADDRESS = ['192.168.4.23', '255.255.255.0', '192.168.4.1', '192.168.4.1'];

class Wifi {
  constructor({ aps, joinMs, onChange }) {
    this.aps = aps; // [{ssid, password}]
    this.joinMs = joinMs;
    this.onChange = onChange;
    this.radioUp = true;
    this.active = [false, false];
    this.status = STAT.IDLE;
    this.wanted = null; // {ssid, key} while a connection is requested
    this.timer = null;
    this.settings = { hostname: 'esp32', reconnects: -1, channel: 1, txpower: 20, pm: 1 };
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this.onChange({ event: 'wifi', status, connected: status === STAT.GOT_IP, ssid: this.wanted && this.wanted.ssid });
  }

  get connected() {
    return this.status === STAT.GOT_IP;
  }

  setActive(iface, on) {
    if (on === null || on === undefined) return this.active[iface];
    this.active[iface] = Boolean(on);
    if (iface === 0 && !on) this.disconnect();
    return this.active[iface];
  }

  connect(ssid, key) {
    if (!this.active[0]) throw new BoardError('Wifi Not Started');
    if (typeof ssid !== 'string') throw new BoardError('Wifi Invalid Args');
    this.wanted = { ssid, key: key == null ? '' : String(key) };
    this.setStatus(STAT.CONNECTING);
    this.schedule(this.joinMs);
  }

  disconnect() {
    this.wanted = null;
    clearTimeout(this.timer);
    this.setStatus(STAT.IDLE);
  }

  schedule(ms) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.attempt(), ms);
    this.timer.unref();
  }

  attempt() {
    if (!this.wanted) return;
    const ap = this.radioUp ? this.aps.find((a) => a.ssid === this.wanted.ssid) : null;
    if (!ap) {
      this.setStatus(STAT.NO_AP_FOUND);
      this.schedule(this.joinMs);
    } else if (ap.password !== this.wanted.key) {
      this.setStatus(STAT.WRONG_PASSWORD); // the ESP32 stops retrying after an authentication failure
    } else {
      this.setStatus(STAT.GOT_IP);
    }
  }

  // The link is gone (radio off or the access point vanished): beacon timeout, then retries.
  linkLost() {
    if (this.status === STAT.GOT_IP || this.status === STAT.CONNECTING) {
      this.setStatus(STAT.BEACON_TIMEOUT);
      this.schedule(this.joinMs);
    }
  }

  setRadio(up) {
    this.radioUp = up;
    if (!up) this.linkLost();
    else if (this.wanted && !this.connected && this.status !== STAT.WRONG_PASSWORD) {
      this.setStatus(STAT.CONNECTING);
      this.schedule(this.joinMs);
    }
  }

  setAccessPoints(aps) {
    this.aps = aps;
    if (this.connected && !aps.some((a) => a.ssid === this.wanted.ssid)) this.linkLost();
    else if (this.wanted && !this.connected && this.status !== STAT.CONNECTING) this.schedule(this.joinMs);
  }

  scan() {
    if (!this.radioUp) return [];
    return this.aps.map((ap, i) => [
      ap.ssid,
      'a4cf12' + (0x100000 + i).toString(16).slice(-6),
      1 + (i % 11),
      ap.rssi === undefined ? -55 - 3 * i : ap.rssi,
      ap.password ? 3 : 0,
    ]);
  }

  ifconfig(iface) {
    if (iface === 0 && this.connected) return ADDRESS;
    if (iface === 1 && this.active[1]) return ['192.168.4.1', '255.255.255.0', '192.168.4.1', '0.0.0.0'];
    return ['0.0.0.0', '0.0.0.0', '0.0.0.0', '0.0.0.0'];
  }

  rssi() {
    const ap = this.connected && this.aps.find((a) => a.ssid === this.wanted.ssid);
    return ap ? (ap.rssi === undefined ? -55 : ap.rssi) : 0;
  }

  config(key) {
    if (key === 'ssid' || key === 'essid') return this.wanted ? this.wanted.ssid : '';
    if (key in this.settings) return this.settings[key];
    throw new BoardError('unknown config param');
  }

  stop() {
    clearTimeout(this.timer);
  }
}

function parseAccessPoints(spec) {
  if (!spec) return [];
  return spec.split(',').filter(Boolean).map((item) => {
    const at = item.indexOf(':');
    return at < 0 ? { ssid: item, password: '' } : { ssid: item.slice(0, at), password: item.slice(at + 1) };
  });
}

module.exports = { Wifi, STAT, parseAccessPoints };
