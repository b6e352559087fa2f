'use strict';
const { BoardError } = require('./errors');
// The Wi-Fi station of one board and the radio around it, modelled on MicroPython's ESP32 port
// (ports/esp32/network_wlan.c): the driver's disconnect reason, the port's status() mapping, and its
// reconnection after every disconnect while a connection is requested.
const STAT = {
  IDLE: 1000,
  CONNECTING: 1001,
  GOT_IP: 1010,
  BEACON_TIMEOUT: 200,
  NO_AP_FOUND: 201,
  WRONG_PASSWORD: 202,
};

// ESP-IDF's wifi_err_reason_t values the model produces.
const REASON = {
  NONE: 0,
  AUTH_LEAVE: 3, // the access point deauthenticated the station (it is shutting down)
  ASSOC_LEAVE: 8, // the station left: wlan.disconnect()
  HANDSHAKE_TIMEOUT: 15, // 4-way handshake timeout: how many access points answer a wrong WPA2 key
  BEACON_TIMEOUT: 200,
  NO_AP_FOUND: 201,
  AUTH_FAIL: 202,
  CONNECTION_FAIL: 205,
};

// What a board reports for a wrong password depends on the access point (micropython/micropython#11625,
// espressif/arduino-esp32#5698, adafruit/circuitpython#9025): most answer with a handshake timeout
// (reason 15, so status() stays 1001 CONNECTING), some with an authentication failure (202).
const WRONG_PASSWORD = { 'handshake-timeout': REASON.HANDSHAKE_TIMEOUT, 'auth-fail': REASON.AUTH_FAIL };
// How the access point goes away: silently (powered off, out of range: the station notices after
// its inactive time) or with a deauthentication (a graceful shutdown: noticed at once).
const LOSS_MODES = ['silent', 'deauth'];

const INACTIVE_MS = 6000; // ESP-IDF esp_wifi_set_inactive_time: "Default 6s"
const ADDRESS = ['192.168.4.23', '255.255.255.0', '192.168.4.1', '192.168.4.1'];

class Wifi {
  constructor({ aps, joinMs, inactiveMs = INACTIVE_MS, wrongPassword = 'handshake-timeout', onChange, onLink, onAddressLost }) {
    if (!(wrongPassword in WRONG_PASSWORD)) throw new Error(`unknown wrong-password variant ${wrongPassword}`);
    this.aps = aps; // [{ssid, password}]
    this.joinMs = joinMs;
    this.inactiveMs = inactiveMs;
    this.wrongPassword = wrongPassword;
    this.onChange = onChange;
    this.onLink = onLink || (() => {});
    this.onAddressLost = onAddressLost || (() => {});
    this.radioUp = true;
    this.active = [false, false];
    this.wanted = null; // {ssid, key}: the port's wifi_sta_connect_requested
    this.linked = false; // the port's wifi_sta_connected: associated, with an address
    this.reason = REASON.NONE; // the port's wifi_sta_disconn_reason
    this.retries = 0; // reconnections since connect()
    this.trying = false; // the driver is connecting: a join or a reconnection is under way
    this.timer = null;
    this.inactiveTimer = null;
    this.settings = { hostname: 'esp32', reconnects: -1, channel: 1, txpower: 20, pm: 1 };
    this.lastStatus = STAT.IDLE;
    this.lastLink = false;
  }

  // network_wlan.c network_wlan_status(), branch for branch.
  get status() {
    const r = this.reason;
    if (this.linked) return STAT.GOT_IP;
    if (r === REASON.NO_AP_FOUND) return STAT.NO_AP_FOUND;
    if (r === REASON.AUTH_FAIL || r === REASON.CONNECTION_FAIL) return STAT.WRONG_PASSWORD;
    if (r === REASON.ASSOC_LEAVE) return STAT.IDLE;
    if (this.wanted && this.retriesLeft()) return STAT.CONNECTING;
    if (r === REASON.NONE) return STAT.IDLE;
    return r;
  }

  get connected() {
    return this.linked;
  }

  // Frames move only while the station is associated and its access point still hears it.
  get linkUp() {
    return this.linked && this.apInRange();
  }

  apInRange() {
    return Boolean(this.wanted && this.radioUp && this.aps.some((a) => a.ssid === this.wanted.ssid));
  }

  retriesLeft() {
    const n = this.settings.reconnects;
    return n < 0 || this.retries <= n; // the port counts the attempt under way (conf = reconnects + 1)
  }

  changed() {
    const status = this.status;
    if (status !== this.lastStatus) {
      this.lastStatus = status;
      this.onChange({ event: 'wifi', status, connected: this.linked, ssid: this.wanted && this.wanted.ssid });
    }
    const link = this.linkUp;
    if (link !== this.lastLink) {
      this.lastLink = link;
      this.onLink(link);
    }
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
    // ESP-IDF refuses a connect while the driver is connecting ("sta is connecting, return error"),
    // which the port raises as this (network_common.c:62-63; micropython/micropython#17661, #7139).
    if (this.trying) throw new BoardError('Wifi Internal Error');
    this.wanted = { ssid, key: key == null ? '' : String(key) };
    this.retries = 0;
    if (this.linked) this.dropped(REASON.ASSOC_LEAVE, false); // joining anew leaves the current network
    this.trying = true;
    this.schedule(this.joinMs);
    this.changed();
  }

  disconnect() {
    this.wanted = null;
    this.trying = false;
    clearTimeout(this.timer);
    this.stopInactive();
    if (this.linked || this.reason !== REASON.NONE) this.reason = REASON.ASSOC_LEAVE;
    this.unlink();
    this.changed();
  }

  // STA_DISCONNECTED brings the interface down: ESP-IDF's default handler (esp_netif_action_disconnected
  // -> esp_netif_down) sets its address to 0.0.0.0, and lwIP aborts every TCP connection bound to the
  // old address (tcp_netif_ip_addr_changed -> tcp_abort).
  unlink() {
    if (!this.linked) return;
    this.linked = false;
    this.onAddressLost();
  }

  schedule(ms) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.attempt(), ms);
    this.timer.unref();
  }

  attempt() {
    if (!this.wanted) return;
    const ap = this.radioUp ? this.aps.find((a) => a.ssid === this.wanted.ssid) : null;
    if (!ap) this.dropped(REASON.NO_AP_FOUND);
    else if (ap.password !== this.wanted.key) this.dropped(WRONG_PASSWORD[this.wrongPassword]);
    else {
      this.trying = false;
      this.linked = true;
      this.reason = REASON.NONE;
      this.changed();
    }
  }

  // STA_DISCONNECTED: the port records the reason and reconnects while a connection is requested and
  // `reconnects` allows (network_wlan.c:118-170): after every reason, a wrong password too.
  dropped(reason, reconnect = true) {
    this.stopInactive();
    this.unlink();
    this.reason = reason;
    this.trying = false;
    if (reconnect && this.wanted) {
      const limit = this.settings.reconnects;
      if (limit < 0 || ++this.retries <= limit) {
        this.trying = true;
        this.schedule(this.joinMs);
      }
    }
    this.changed();
  }

  // The station's access point is out of reach (radio off, access point gone). Silently: frames stop
  // at once and the station drops the association after its inactive time. Deauthenticated: at once.
  apLost(mode) {
    if (!this.linked) return this.changed();
    if (mode === 'deauth') this.dropped(REASON.AUTH_LEAVE);
    else if (!this.inactiveTimer) {
      this.inactiveTimer = setTimeout(() => {
        this.inactiveTimer = null;
        if (this.linked && !this.apInRange()) this.dropped(REASON.BEACON_TIMEOUT);
      }, this.inactiveMs);
      this.inactiveTimer.unref();
    }
    this.changed();
  }

  setRadio(up, mode = 'silent') {
    this.radioUp = up;
    if (!up) return this.apLost(mode);
    if (this.apInRange()) this.stopInactive(); // back before the station gave up on it
    this.changed();
  }

  setAccessPoints(aps) {
    this.aps = aps;
    if (this.linked && !this.apInRange()) this.apLost('silent');
    else {
      if (this.apInRange()) this.stopInactive();
      this.changed();
    }
  }

  stopInactive() {
    clearTimeout(this.inactiveTimer);
    this.inactiveTimer = null;
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
    this.stopInactive();
  }
}

function parseAccessPoints(spec) {
  if (!spec) return [];
  return spec.split(',').filter(Boolean).map((item) => {
    const at = item.indexOf(':');
    return at < 0 ? { ssid: item, password: '' } : { ssid: item.slice(0, at), password: item.slice(at + 1) };
  });
}

module.exports = { Wifi, STAT, WRONG_PASSWORD, LOSS_MODES, INACTIVE_MS, parseAccessPoints };
