'use strict';
// One simulated ESP32 as seen from the host thread: it owns the board's worker (the CPU running
// MicroPython), its serial input queue, Wi-Fi radio, TCP/IP stack, pins and reset line. A Node
// process can host many of these; the CLI wires one to stdio and a control channel.
const crypto = require('node:crypto');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { EventEmitter } = require('node:events');
const { Wifi } = require('./wifi');
const { NetStack, Aborted } = require('./netstack');
const { BoardError, ERRNO } = require('./errors');
const { NativeCpu } = require('./native-engine');

const RESPONSE_BYTES = 1 << 20;
const EPOCH_2000_MS = Date.UTC(2000, 0, 1); // the ESP32 port's epoch (MP py/mpconfig.h)
const MAX_CHUNK = 16 * 1024; // hex or base64 of this fits the response buffer with room to spare
// machine.reset_cause() after each kind of reset, as the ESP32 port maps esp_reset_reason(): the EN
// button is ESP_RST_POWERON (1), machine.reset() is ESP_RST_SW, reported as HARD_RESET (2), a deep
// sleep wake is DEEPSLEEP_RESET (4) (MP ports/esp32/modmachine.c:233-260). A soft reboot makes it
// SOFT_RESET (5) (MP ports/esp32/main.c), in the worker. machine.WDT is ESP-IDF's task watchdog with
// trigger_panic (MP ports/esp32/machine_wdt.c): a starved one panics and restarts the chip, and
// ESP_RST_TASK_WDT is WDT_RESET (3).
const RESET_CAUSE = { power: 1, button: 1, software: 2, wdt: 3, deepsleep: 4 };
const ROM_RST = {
  power: 'rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
  button: 'rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
  software: 'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
  wdt: 'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)', // the panic handler restarts the CPU
  deepsleep: 'rst:0x5 (DEEPSLEEP_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
};
const ROM_TAIL =
  'configsip: 0, SPIWP:0xee\r\nclk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00\r\n' +
  'mode:DIO, clock div:2\r\nload:0x3fff0030,len:4728\r\nload:0x40078000,len:14888\r\n' +
  'load:0x40080400,len:3368\r\nentry 0x400805cc\r\n';

class Board extends EventEmitter {
  // nativeBinary: run the board on the native engine (that interpreter) instead of WebAssembly.
  constructor({ flashDir, aps = [], joinMs = 800, wifiInactiveMs, wrongPassword, uartBaud = 115200, heapBudget = 112 * 1024, seed = null, mac = '246f28a1b2c3', nativeBinary = null }) {
    super();
    this.config = { flashDir: path.resolve(flashDir), heapBudget, seed, mac, uartBaud };
    this.nativeBinary = nativeBinary;
    this.input = [];
    this.pendingInterrupt = false;
    this.call = null; // the worker's outstanding request: {op, controller}
    this.worker = null;
    this.generation = 0;
    this.pins = new Map(); // output pins: pin -> value
    this.inputs = new Map(); // input levels set from the bench
    this.adc = new Map(); // ADC readings (16-bit) set from the bench
    this.heap = { used: 0, high_water: 0, budget: heapBudget };
    this.wifiOptions = { joinMs, inactiveMs: wifiInactiveMs, wrongPassword };
    this.wifi = this.newWifi(aps, true);
    this.net = this.newNetStack();
    this.idleWaiters = [];
  }

  start(kind = 'power') {
    // The chip's clock reads 2000-01-01 00:00:00 at power-on and after EN; machine.reset(), a deep
    // sleep and a soft reboot keep it (ESP-IDF keeps the boot time in RTC memory; MP ports/esp32/modtime.c).
    if (kind === 'power' || kind === 'button' || this.rtcBase === undefined) this.rtcBase = Date.now();
    this.generation++;
    this.bootAt = Date.now();
    // the WebAssembly worker's answers go through shared memory; the native engine's through a pipe
    const shared = this.nativeBinary ? null : { ctl: new SharedArrayBuffer(12), data: new SharedArrayBuffer(RESPONSE_BYTES) };
    if (shared) {
      this.ctl = new Int32Array(shared.ctl);
      this.data = new Uint8Array(shared.data);
    }
    this.call = null;
    this.pendingInterrupt = false;
    this.serial(`ets Jul 29 2019 12:21:46\r\n\r\n${ROM_RST[kind]}\r\n${ROM_TAIL}`);
    const worker = this.nativeBinary
      ? new NativeCpu({ ...this.config, binary: this.nativeBinary, resetCause: RESET_CAUSE[kind] })
      : new Worker(path.join(__dirname, 'board-worker.js'), {
        workerData: { ...this.config, shared, resetCause: RESET_CAUSE[kind] },
        stdout: false,
        stderr: false,
      });
    const generation = this.generation;
    worker.on('message', (msg) => {
      if (generation === this.generation) this.onWorkerMessage(msg);
    });
    worker.on('error', (err) => this.emit('fatal', err));
    this.worker = worker;
    this.emit('event', { event: 'reset', cause: kind });
  }

  async stopWorker() {
    const worker = this.worker;
    this.worker = null;
    this.generation++;
    if (this.call) this.call.controller.abort();
    this.call = null;
    if (worker) await worker.terminate();
  }

  // Power-cycle, EN button, or machine.reset(): the CPU stops mid-instruction and boots again.
  async reset(kind = 'button') {
    clearTimeout(this.sleepTimer);
    this.stopWatchdog();
    await this.stopWorker();
    this.net.resetAll(104);
    const old = this.wifi;
    old.stop();
    // The chip forgets its connection; the radio environment (access points, outages) stays.
    this.wifi = this.newWifi(old.aps, old.radioUp);
    this.net = this.newNetStack();
    this.pins.clear();
    this.input = [];
    this.start(kind);
  }

  async deepSleep(ms) {
    this.stopWatchdog();
    await this.stopWorker();
    this.net.resetAll(104);
    this.wifi.stop();
    this.pins.clear();
    this.input = [];
    if (ms === null || ms === undefined) return; // until reset() or power
    const generation = this.generation;
    this.sleepTimer = setTimeout(() => {
      if (generation === this.generation) this.reset('deepsleep');
    }, Math.max(0, ms));
  }

  async shutdown() {
    clearTimeout(this.sleepTimer);
    this.stopWatchdog();
    await this.stopWorker();
    this.net.shutdown();
    this.wifi.stop();
  }

  // machine.WDT(timeout=ms) and feed(): it keeps running across soft reboots (it cannot be stopped);
  // a chip reset stops it until a program starts it again.
  feedWatchdog(timeoutMs) {
    if (timeoutMs !== undefined) this.watchdogMs = timeoutMs;
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.watchdogFired(), this.watchdogMs);
  }

  stopWatchdog() {
    clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  watchdogFired() {
    // ESP-IDF's task watchdog report (its first lines; the backtrace that follows is left out)
    const t = Date.now() - this.bootAt;
    this.serial(`E (${t}) task_wdt: Task watchdog got triggered. The following tasks/users did not reset the watchdog in time:\r\n` +
      `E (${t}) task_wdt:  - mpy_machine_wdt\r\n\r\nRebooting...\r\n`);
    this.reset('wdt');
  }

  serial(text) {
    this.emit('serial', Buffer.from(text, 'latin1'));
  }

  // Bytes arriving on the board's UART RX.
  write(bytes) {
    let data = Buffer.from(bytes);
    const running = this.call === null || this.call.op !== 'repl_read';
    if (running) {
      // While code runs, Ctrl-C is the keyboard interrupt, not input (as MicroPython's UART IRQ does).
      // Between two REPL reads nothing may be running: then it stays in the input, in its place, and
      // interrupts only if a program asks the host for something before the REPL reads again.
      const at = data.indexOf(3);
      if (at >= 0 && this.interrupt()) data = Buffer.concat([data.subarray(0, at), data.subarray(at + 1)]);
    }
    for (const b of data) this.input.push(b);
    if (this.call && this.call.op === 'repl_read' && this.input.length) this.answerReplRead();
  }

  // True when the interrupt reached running code; false when it is left pending.
  interrupt() {
    if (this.call && this.call.op !== 'repl_read') {
      const call = this.call;
      this.call = null;
      call.controller.abort();
      this.respond({ i: 1 });
      return true;
    }
    if (this.worker instanceof NativeCpu && this.call === null && this.worker.running) {
      this.worker.interrupt(); // a native interpreter is interrupted where it computes, by a signal
      return true;
    }
    this.pendingInterrupt = true;
    return false;
  }

  answerReplRead() {
    this.pendingInterrupt = false; // the REPL reads it as input, where it came
    const bytes = Buffer.from(this.input.splice(0, MAX_CHUNK));
    this.call = null;
    if (this.worker instanceof NativeCpu) this.respond({ r: bytes.length }, bytes);
    else this.respond({ r: bytes.toString('base64') }); // for src/repl-driver.js
  }

  // The answer's JSON, then raw bytes (socket data) after it: bytes never travel as text, which
  // would cost the board's MicroPython heap (it is collected only between top-level runs).
  respond(answer, bin = null) {
    if (this.worker instanceof NativeCpu) return this.worker.answer(answer, bin);
    const bytes = Buffer.from(JSON.stringify(answer));
    this.data.set(bytes.subarray(0, RESPONSE_BYTES));
    this.ctl[1] = Math.min(bytes.length, RESPONSE_BYTES);
    const room = RESPONSE_BYTES - this.ctl[1];
    this.ctl[2] = bin ? Math.min(bin.length, room) : -1;
    if (bin) this.data.set(bin.subarray(0, room), this.ctl[1]);
    Atomics.store(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
  }

  // The heap read while the program runs, without stopping it (native engine): the board collects
  // and reads it when its current call to the host returns (a sleep or a poll ends, a print goes
  // out). At the REPL the figure from after the last statement is already a live one.
  liveHeap(timeoutMs = 5000) {
    const cpu = this.worker;
    if (!(cpu instanceof NativeCpu)) {
      return Promise.reject(new Error('the live heap is read on the native engine only: the WebAssembly build collects garbage only between top-level runs'));
    }
    if (!cpu.running) return Promise.resolve({ ...this.heap, free: Math.max(0, this.heap.budget - this.heap.used), live: false });
    cpu.heapWanted = true;
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.off('event', onEvent);
      };
      const onEvent = (ev) => {
        if (ev.event !== 'heap' || !ev.live) return;
        done();
        resolve(ev);
      };
      const timer = setTimeout(() => {
        done();
        cpu.heapWanted = false;
        reject(new Error(`the program made no call to the board within ${timeoutMs} ms (it computes, or sleeps longer), so its heap was not read`));
      }, timeoutMs);
      this.on('event', onEvent);
    });
  }

  get engine() {
    return this.nativeBinary ? 'native' : 'wasm';
  }

  // True when the board sits at the REPL waiting for input with nothing queued.
  get idle() {
    return this.call !== null && this.call.op === 'repl_read' && this.input.length === 0;
  }

  onWorkerMessage(msg) {
    switch (msg.t) {
      case 'out':
        this.emit('serial', Buffer.from(msg.data));
        break;
      case 'event':
        this.onBoardEvent(msg.event);
        break;
      case 'call':
        this.onCall(msg.op, msg.args);
        break;
      case 'soft_reboot':
        this.net.closeAll(); // Wi-Fi stays up across a soft reboot, as on a board
        break;
      case 'fatal':
        this.emit('fatal', new Error(msg.message));
        break;
      default:
        break;
    }
  }

  onBoardEvent(ev) {
    if (ev.event === 'pin') {
      if (this.pins.get(ev.pin) === ev.value) return;
      this.pins.set(ev.pin, ev.value);
    } else if (ev.event === 'heap') {
      this.heap.used = ev.used;
      this.heap.high_water = Math.max(this.heap.high_water, ev.high_water);
    }
    this.emit('event', ev);
  }

  newNetStack() {
    return new NetStack({ wifi: this.wifi, onEvent: (ev) => this.emit('event', ev), boardTime: () => EPOCH_2000_MS + this.rtcMs() });
  }

  // The board's clock: milliseconds since 2000-01-01 (what time.time() and mbedTLS read on a board).
  rtcMs() {
    return Date.now() - this.rtcBase;
  }

  newWifi(aps, radioUp) {
    const wifi = new Wifi({
      ...this.wifiOptions,
      aps,
      onChange: (ev) => this.emit('event', ev),
      onLink: (up) => up && this.net.linkRestored(),
      onAddressLost: () => this.net.addressLost(),
    });
    wifi.radioUp = radioUp;
    return wifi;
  }

  onCall(op, args) {
    const controller = new AbortController();
    this.call = { op, controller };
    if (op === 'repl_read') {
      if (this.input.length || this.pendingInterrupt) this.answerReplRead();
      else for (const waiter of this.idleWaiters.splice(0)) waiter();
      return;
    }
    if (this.pendingInterrupt) {
      this.pendingInterrupt = false;
      const at = this.input.indexOf(3); // it was the program's interrupt, not input
      if (at >= 0) this.input.splice(at, 1);
      this.call = null;
      this.respond({ i: 1 });
      return;
    }
    let result;
    try {
      result = this.dispatch(op, args, controller.signal);
    } catch (err) {
      this.finish(controller, null, err);
      return;
    }
    if (result && typeof result.then === 'function') {
      result.then(
        (value) => this.finish(controller, value, null),
        (err) => this.finish(controller, null, err),
      );
    } else {
      this.finish(controller, result, null);
    }
  }

  finish(controller, value, err) {
    if (!this.call || this.call.controller !== controller) return; // interrupted or reset meanwhile
    if (err instanceof Aborted) return;
    this.call = null;
    if (err instanceof BoardError) this.respond(err.type === 'ValueError' ? { v: err.arg } : { e: err.arg });
    else if (err) {
      this.emit('fatal', err);
      this.respond({ e: 5 }); // EIO: a simulator fault surfaces as an I/O error, not a hang
    } else if (Buffer.isBuffer(value)) this.respond({ r: value.length }, value);
    else this.respond({ r: value === undefined ? null : value });
  }

  dispatch(op, args, signal) {
    const wifi = this.wifi;
    const net = this.net;
    switch (op) {
      case 'rtc_ms': // milliseconds since 2000-01-01 on the board's clock
        return this.rtcMs();
      case 'rtc_set':
        this.rtcBase = Date.now() - args[0];
        return null;
      case 'sleep':
        return new Promise((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, args[0]));
          signal.addEventListener('abort', () => clearTimeout(timer));
        });
      case 'wdt_start':
        this.feedWatchdog(args[0]);
        return null;
      case 'wdt_feed':
        if (this.watchdog) this.feedWatchdog();
        return null;
      case 'hard_reset':
        setImmediate(() => this.reset('software'));
        return new Promise(() => {});
      case 'deepsleep':
        // The chip powers down (sockets and Wi-Fi gone) and boots again when the timer fires; with
        // no time it sleeps until the EN button or a power cycle (MP ports/esp32/modmachine.c:228-231).
        setImmediate(() => this.deepSleep(args[0]));
        return new Promise(() => {});
      case 'pin_read':
        return this.inputs.has(args[0]) ? this.inputs.get(args[0]) : args[1] === 2 ? 1 : 0;
      case 'adc_read':
        return this.adc.get(args[0]) || 0;
      case 'wifi_active':
        return wifi.setActive(args[0], args[1]);
      case 'wifi_connect':
        return wifi.connect(args[0], args[1]);
      case 'wifi_disconnect':
        return wifi.disconnect();
      case 'wifi_status':
        return args[0] === 1 ? null : wifi.status; // status() is for the station only (network_wlan.c:402)
      case 'wifi_rssi':
        return wifi.rssi();
      case 'wifi_scan':
        if (!wifi.active[0]) throw new BoardError('Wifi Not Started');
        return wifi.scan();
      case 'wifi_ifconfig':
        return wifi.ifconfig(args[0]);
      case 'wifi_config':
        return wifi.config(args[0]);
      case 'wifi_set':
        wifi.settings[args[0]] = args[1];
        return null;
      case 'dns':
        return net.dns(args[0]);
      case 'sock_open':
        return net.open(args[0] === 'udp');
      case 'sock_sendto':
        return net.sendto(args[0], Buffer.from(args[3]), args[1], args[2]);
      case 'sock_recvfrom':
        return net.recvfrom(args[0], Math.min(args[1], MAX_CHUNK), args[2], signal);
      case 'sock_lastfrom':
        return net.get(args[0]).from;
      case 'sock_connect':
        return net.connect(args[0], args[1], args[2], args[3], signal);
      case 'sock_send':
        return net.send(args[0], Buffer.from(args[3]), args[1], signal, args[2]);
      case 'sock_recv':
        return net.recv(args[0], Math.min(args[1], MAX_CHUNK), args[2], signal);
      case 'sock_readline':
        return net.readline(args[0], args[1], signal);
      case 'sock_close':
        return net.close(args[0]);
      case 'hash':
        if (args[0] !== 'sha1' && args[0] !== 'md5') throw new BoardError(ERRNO.EINVAL);
        return crypto.createHash(args[0]).update(Buffer.from(args[1], 'hex')).digest('hex');
      case 'sock_poll':
        return net.poll(args[0], args[1], signal);
      case 'sock_tls':
        return net.startTls(args[0], args[1], args[2], args[3], args[4], signal);
      case 'sock_peercert':
        return net.peerCertificate(args[0]);
      case 'sock_cipher':
        return net.cipher(args[0]);
      default:
        throw new BoardError(ERRNO.EOPNOTSUPP);
    }
  }

  // Bench operations (the control channel calls these).
  // mode: how the access point goes ('silent' or 'deauth', see wifi.js).
  setWifiRadio(up, mode = 'silent') {
    this.wifi.setRadio(up, mode);
  }

  setAccessPoints(aps) {
    this.wifi.setAccessPoints(aps);
  }

  setInput(pin, value) {
    this.inputs.set(pin, value ? 1 : 0);
  }

  setAdc(pin, value) {
    this.adc.set(pin, Math.max(0, Math.min(65535, Math.round(value))));
  }

  pinState() {
    return { outputs: Object.fromEntries(this.pins), inputs: Object.fromEntries(this.inputs), adc: Object.fromEntries(this.adc) };
  }

  whenIdle() {
    return this.idle ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

module.exports = { Board };
