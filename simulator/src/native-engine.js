'use strict';
// The native engine: one board's CPU as a MicroPython Unix-port process with a real, fixed heap
// (-X heapsize). It runs board/_native_boot.py, which brings up the same board-support modules as
// the WebAssembly engine; its requests come as frames on fd 3 and are answered on fd 4 (see
// board/_link_native.py). To the Board it looks like the WebAssembly worker: it emits the same
// messages, and answer() takes the place of the shared-memory response.
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { EventEmitter } = require('node:events');
const { ERRNO } = require('./errors');
const { SerialOut } = require('./serial-out');

const BOARD_DIR = path.join(__dirname, '..', 'board');
const BUILD_SCRIPT = path.join(__dirname, '..', 'native', 'build.sh');
const C_MODULE_DIR = path.join(__dirname, '..', 'native', 'cmodules', 'native');
const NATIVE_DIR = process.env.HIL_NATIVE_DIR || path.join(__dirname, '..', 'build', 'native');
// Room for the board-support modules besides the board's own heap (for a 32-bit interpreter); the
// spare is held back at boot, so a program sees the board's budget.
const MODULE_ROOM = 96 * 1024;

// The interpreter's path, from native/build.sh (which builds it once, and again when the frozen
// board modules change); throws with its reason. preferOnly: the caller can do without it, so a
// build that failed before is not tried again (build.sh kept its reason).
function nativeBinary({ preferOnly = false } = {}) {
  const built = path.join(NATIVE_DIR, 'micropython');
  if (fresh(built)) return built; // the common case, without a shell
  const onPath = readMarker('path-binary'); // build.sh could not build, and took the PATH's
  if (onPath && fs.existsSync(onPath)) return onPath;
  const unavailable = path.join(NATIVE_DIR, 'unavailable');
  if (preferOnly && fs.existsSync(unavailable)) throw new Error(fs.readFileSync(unavailable, 'utf8').trim());
  try {
    return execFileSync(BUILD_SCRIPT, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (e) {
    const why = fs.existsSync(unavailable) ? fs.readFileSync(unavailable, 'utf8').trim() : `native/build.sh failed (${e.status || e.code})`;
    throw new Error(why);
  }
}

function readMarker(name) {
  try {
    return fs.readFileSync(path.join(NATIVE_DIR, name), 'utf8').trim();
  } catch {
    return null;
  }
}

// How an interpreter is started, and how many of its bytes make one of an ESP32's. Ours is built
// for i386 (native/build.sh): an ESP32's word size, run by qemu-i386 where the host is not a 32-bit
// x86. A micropython from the PATH is the host's own: on a 64-bit host its pointers, object
// headers and GC blocks are twice an ESP32's (a list or a compiled module takes about twice the
// heap; bytes do not), so the board's budget is doubled for it, an approximation (README.md).
function engineOf(binary) {
  const head = Buffer.alloc(20);
  try {
    const fd = fs.openSync(binary, 'r');
    fs.readSync(fd, head, 0, 20, 0);
    fs.closeSync(fd);
  } catch {
    return { command: [binary], wordScale: 2 };
  }
  const elf32 = head.readUInt32BE(0) === 0x7f454c46 && head[4] === 1;
  if (elf32 && head.readUInt16LE(18) === 3 && process.arch !== 'ia32') return { command: ['qemu-i386', binary], wordScale: 1 };
  return { command: [binary], wordScale: elf32 || !/64/.test(process.arch) ? 1 : 2 };
}

// A build of ours, newer than every board-support module frozen into it and than our C module.
function fresh(binary) {
  let made;
  try {
    made = fs.statSync(binary).mtimeMs;
    if (!fs.existsSync(path.join(NATIVE_DIR, 'stamp'))) return false;
  } catch {
    return false;
  }
  const older = (dir) => fs.readdirSync(dir).every((n) => fs.statSync(path.join(dir, n)).mtimeMs <= made);
  return older(BOARD_DIR) && older(C_MODULE_DIR);
}

class NativeCpu extends EventEmitter {
  constructor({ binary, flashDir, heapBudget, seed, mac, uartBaud, resetCause }) {
    super();
    this.engine = engineOf(binary);
    this.settings = { flash: flashDir, board: BOARD_DIR, heap_budget: heapBudget, word_scale: this.engine.wordScale, seed, mac, reset_cause: resetCause, raw: false, parent: process.pid };
    this.settings.errno = Object.fromEntries(Object.entries(ERRNO).map(([name, n]) => [n, name]));
    this.out = new SerialOut(uartBaud, (data) => this.emit('message', { t: 'out', data }));
    this.stopped = false;
    this.running = false; // true while a program runs (boot.py, main.py, a statement): Ctrl-C is then a signal
    this.heapWanted = false; // the next answer asks the board to read its live heap (see Board.liveHeap)
    this.launch();
  }

  launch() {
    const scale = this.engine.wordScale;
    const heap = (this.settings.heap_budget + MODULE_ROOM) * scale;
    // The board-support modules are frozen into a binary that native/build.sh made; another
    // interpreter imports them from board/ (then they cost heap a board does not spend on them).
    const start = `import sys\nsys.path.append(${JSON.stringify(BOARD_DIR)})\nimport _native_boot`;
    const [program, ...pre] = this.engine.command;
    const proc = spawn(program, [...pre, '-X', `heapsize=${heap}`, '-c', start], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      // TZ: the Unix port's mktime is the C library's, which reads the host's time zone; a board has none
      env: { ...process.env, TZ: 'UTC', HIL_BOARD: JSON.stringify(this.settings) },
    });
    this.proc = proc;
    this.buf = Buffer.alloc(0);
    this.rebooting = false;
    this.running = false;
    proc.stdio[3].on('data', (d) => this.receive(d));
    proc.stdio[4].on('error', () => {});
    // Output the interpreter writes itself, past the board's console: the UART still shows it.
    proc.stdout.on('data', (d) => {
      this.out.push(d);
      this.out.flush();
    });
    proc.stderr.on('data', (d) => process.stderr.write(d));
    proc.on('exit', (code, signal) => {
      if (this.stopped || proc !== this.proc) return;
      if (this.rebooting && code === 0) {
        this.settings.reset_cause = 5; // a soft reboot: machine.reset_cause() says SOFT_RESET
        this.launch();
      } else {
        this.emit('message', { t: 'fatal', message: `the native interpreter ended (${signal || `exit ${code}`})` });
      }
    });
  }

  receive(chunk) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (this.buf.length >= 8) {
      const n = this.buf.readUInt32BE(0);
      const size = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + n + size) return;
      const msg = JSON.parse(this.buf.subarray(8, 8 + n).toString('utf8'));
      const data = size ? Buffer.from(this.buf.subarray(8 + n, 8 + n + size)) : null;
      this.buf = this.buf.subarray(8 + n + size);
      this.handle(msg, data);
    }
  }

  handle(msg, data) {
    if (msg.t === 'call' && msg.op === 'uart_out') {
      // The UART takes the bytes behind its FIFO: the print returns when there is room for them.
      // (Output goes out by lines, and whatever is held when the interpreter next waits.)
      this.out.push(data || Buffer.alloc(0));
      // a part line ("OK" before a program that computes for a while) goes out soon all the same
      clearTimeout(this.partLine);
      if (this.out.buf.length) this.partLine = setTimeout(() => this.out.flush(), 20);
      const owed = this.out.owed();
      if (owed === 0) return this.answer({ r: null }); // room in the FIFO: no timer's tick on every print
      const proc = this.proc;
      setTimeout(() => proc === this.proc && this.answer({ r: null }), owed);
      return;
    }
    this.out.flush();
    if (msg.t === 'call') {
      if (data) msg.a.push(data);
      this.emit('message', { t: 'call', op: msg.op, args: msg.a });
    } else if (msg.t === 'running') {
      this.running = msg.on;
    } else if (msg.t === 'soft_reboot') {
      this.rebooting = true;
      this.settings.raw = Boolean(msg.raw);
      this.emit('message', { t: 'soft_reboot' });
    } else {
      this.emit('message', msg);
    }
  }

  answer(answer, bin) {
    if (this.heapWanted) {
      this.heapWanted = false;
      answer = { ...answer, h: 1 };
    }
    const json = Buffer.from(JSON.stringify(answer));
    const head = Buffer.alloc(8);
    head.writeUInt32BE(json.length, 0);
    head.writeUInt32BE(bin ? bin.length : 0, 4);
    const pipe = this.proc.stdio[4];
    if (!pipe.destroyed) pipe.write(bin ? Buffer.concat([head, json, bin]) : Buffer.concat([head, json]));
  }

  // Ctrl-C while no request is outstanding: the interpreter is computing; a signal reaches it there.
  interrupt() {
    if (this.proc.exitCode === null) this.proc.kill('SIGINT');
  }

  terminate() {
    this.stopped = true;
    const proc = this.proc;
    if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      proc.once('exit', resolve);
      proc.kill('SIGKILL');
    });
  }
}

module.exports = { NativeCpu, nativeBinary, engineOf };
