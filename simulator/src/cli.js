'use strict';
// esp32sim: one simulated ESP32 on this terminal (or a pseudo-terminal), with an optional
// control channel for the test bench.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { Board } = require('./board');
const { ControlChannel } = require('./control');
const { parseAccessPoints, WRONG_PASSWORD, INACTIVE_MS } = require('./wifi');

const USAGE = `usage: esp32sim [options]

A simulated ESP32 running MicroPython. The serial console is this process's stdin/stdout.

options:
  --flash DIR          host directory used as the board's flash (created if missing;
                       default: a temporary directory removed at exit)
  --flash-temporary    the --flash directory is this board's alone: remove it at exit too
  --wifi LIST          access points, SSID:PASSWORD[,SSID2:PASSWORD2...]; "SSID:" is open
  --join-ms MS         time a Wi-Fi join (or one reconnection attempt) takes (default 800)
  --wifi-inactive-ms MS
                       how long the station keeps an association whose access point went
                       silent before it drops it (default ${INACTIVE_MS}, ESP-IDF's inactive time)
  --wrong-password VARIANT
                       what a wrong password looks like: handshake-timeout (reason 15, so
                       status() stays 1001 while the driver retries; most access points) or
                       auth-fail (reason 202, status() 202) (default handshake-timeout)
  --uart-baud N        console speed: output is paced at N baud (8N1) behind a 128-byte
                       FIFO, so print blocks as on a board (default 115200; 0: unpaced)
  --control PORT       JSON-lines control channel on 127.0.0.1:PORT (0 picks a free port;
                       the port is announced on stderr as "esp32sim: control port N")
  --pty PATH           also offer the console on a pseudo-terminal linked at PATH (needs socat)
  --engine NAME        native: MicroPython's Unix port with a real, fixed heap (built once by
                       native/build.sh; the default where it can be had); wasm: MicroPython's
                       WebAssembly build (the fallback, which says why it is used);
                       HIL_ENGINE in the environment chooses when this is not given
  --heap-budget BYTES  MicroPython heap the firmware may use (default 114688, an ESP32
                       without PSRAM): on the native engine its real heap, MemoryError included;
                       on wasm the live heap is reported against it
  --seed N             make os.urandom and random reproducible
  --mac HEX            12 hex digits of the Wi-Fi MAC address (default 246f28a1b2c3)
  --supervised         a test harness runs this board: SIGINT (Ctrl-C at the harness's
                       terminal) is the harness's to act on, which stops the board itself
  --which-engine       print the engine a board would run on (native or wasm) and exit
  -h, --help           show this help
`;

class UsageError extends Error {}

function engineName(where, name) {
  if (!['wasm', 'native'].includes(name)) throw new UsageError(`${where} is wasm or native, got ${JSON.stringify(name)}`);
  return name;
}

function parseArgs(argv) {
  const opts = { flash: null, wifi: [], joinMs: 800, wifiInactiveMs: INACTIVE_MS, wrongPassword: 'handshake-timeout', uartBaud: undefined, control: null, pty: null, heapBudget: 114688, engine: null, seed: null, mac: '246f28a1b2c3', supervised: false };
  const int = (name, value, min) => {
    if (value === undefined || !/^\d+$/.test(value) || Number(value) < min) {
      throw new UsageError(`${name} needs a whole number${min > 0 ? ` of at least ${min}` : ''}, got ${JSON.stringify(value)}`);
    }
    return Number(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '-h':
      case '--help':
        opts.help = true;
        break;
      case '--flash':
        opts.flash = value();
        break;
      case '--flash-temporary':
        opts.flashTemporary = true;
        break;
      case '--which-engine':
        opts.whichEngine = true;
        break;
      case '--wifi':
        opts.wifi = parseAccessPoints(value());
        break;
      case '--join-ms':
        opts.joinMs = int(arg, value(), 0);
        break;
      case '--wifi-inactive-ms':
        opts.wifiInactiveMs = int(arg, value(), 0);
        break;
      case '--wrong-password': {
        const variant = value();
        if (!(variant in WRONG_PASSWORD)) {
          throw new UsageError(`--wrong-password is ${Object.keys(WRONG_PASSWORD).join(' or ')}, got ${JSON.stringify(variant)}`);
        }
        opts.wrongPassword = variant;
        break;
      }
      case '--uart-baud': {
        const baud = int(arg, value(), 0);
        if (baud !== 0 && (baud < 300 || baud > 5000000)) throw new UsageError(`--uart-baud is 0 or from 300 to 5000000, got ${baud}`);
        opts.uartBaud = baud;
        break;
      }
      case '--control':
        opts.control = int(arg, value(), 0);
        break;
      case '--pty':
        opts.pty = value();
        break;
      case '--engine':
        opts.engine = engineName('--engine', value());
        break;
      case '--heap-budget':
        opts.heapBudget = int(arg, value(), 4096);
        break;
      case '--supervised':
        opts.supervised = true;
        break;
      case '--seed':
        opts.seed = int(arg, value(), 0);
        break;
      case '--mac': {
        const mac = value().replace(/:/g, '').toLowerCase();
        if (!/^[0-9a-f]{12}$/.test(mac)) throw new UsageError(`--mac needs 12 hex digits, got ${JSON.stringify(mac)}`);
        opts.mac = mac;
        break;
      }
      default:
        throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  if (opts.engine === null && process.env.HIL_ENGINE) opts.engine = engineName('HIL_ENGINE', process.env.HIL_ENGINE);
  return opts;
}

// The console on a pseudo-terminal: socat owns the PTY and relays it to us. A serial tool closing
// the port ends that socat; a new one takes its place, as a USB port stays while tools come and go.
class PtyConsole {
  constructor(linkPath, onInput) {
    this.linkPath = path.resolve(linkPath);
    this.onInput = onInput;
    this.stopped = false;
  }

  start() {
    return new Promise((resolve, reject) => {
      const child = spawn('socat', [`pty,raw,echo=0,link=${this.linkPath}`, 'stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
      this.child = child;
      child.on('error', (err) => reject(new Error(err.code === 'ENOENT' ? '--pty needs socat: install it (e.g. apt-get install socat)' : err.message)));
      child.stdout.on('data', (d) => this.onInput(d));
      child.stdin.on('error', () => {});
      child.on('exit', () => {
        if (!this.stopped) setTimeout(() => this.start().catch(() => {}), 20);
      });
      const ready = () => (fs.existsSync(this.linkPath) ? resolve() : setTimeout(ready, 10));
      ready();
    });
  }

  write(bytes) {
    if (this.child && this.child.stdin.writable) this.child.stdin.write(bytes);
  }

  stop() {
    this.stopped = true;
    if (this.child) this.child.kill();
  }
}

async function main(argv) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`esp32sim: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  let nativeBinary = null;
  if (opts.engine !== 'wasm') {
    // The native engine wherever it can be had; else the WebAssembly one, saying why.
    try {
      nativeBinary = require('./native-engine').nativeBinary({ preferOnly: opts.engine === null });
    } catch (err) {
      if (opts.engine === 'native') {
        process.stderr.write(`esp32sim: the native engine is not available: ${err.message}\n`);
        process.exit(3);
      }
      process.stderr.write(`esp32sim: on the WebAssembly engine: the native one is not available (${err.message})\n`);
    }
  }
  if (opts.whichEngine) {
    process.stdout.write(nativeBinary ? 'native\n' : 'wasm\n');
    return;
  }
  let flashDir = opts.flash;
  const tempFlash = !flashDir || opts.flashTemporary;
  if (!flashDir) flashDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esp32sim-flash-'));
  fs.mkdirSync(flashDir, { recursive: true });

  const board = new Board({ flashDir, aps: opts.wifi, joinMs: opts.joinMs, wifiInactiveMs: opts.wifiInactiveMs, wrongPassword: opts.wrongPassword, uartBaud: opts.uartBaud, heapBudget: opts.heapBudget, seed: opts.seed, mac: opts.mac, nativeBinary });
  let control = null;
  let pty = null;
  let exiting = false;
  const exit = async (code) => {
    if (exiting) return;
    exiting = true;
    if (pty) pty.stop();
    if (control) control.close();
    await board.shutdown();
    if (tempFlash) fs.rmSync(flashDir, { recursive: true, force: true });
    process.stdout.write('', () => process.exit(code));
  };

  board.on('serial', (bytes) => {
    process.stdout.write(bytes);
    if (pty) pty.write(bytes);
  });
  board.on('fatal', (err) => process.stderr.write(`esp32sim: internal error: ${err.stack || err}\n`));

  if (opts.control !== null) {
    control = new ControlChannel(board, { onShutdown: () => exit(0) });
    const port = await control.listen(opts.control);
    process.stderr.write(`esp32sim: control port ${port}\n`);
  }
  if (opts.pty) {
    pty = new PtyConsole(opts.pty, (d) => board.write(d));
    try {
      await pty.start();
    } catch (err) {
      process.stderr.write(`esp32sim: ${err.message}\n`);
      await exit(1);
      return;
    }
    process.stderr.write(`esp32sim: console on ${pty.linkPath}\n`);
  }

  const tty = process.stdin.isTTY;
  if (tty) process.stdin.setRawMode(true);
  process.stdin.on('data', (d) => {
    // At a terminal Ctrl-C belongs to the board, so Ctrl-] (as in miniterm and telnet) powers off.
    if (tty && d.includes(0x1d)) {
      exit(0);
      return;
    }
    board.write(d);
  });
  process.stdin.on('end', async () => {
    // Finish what was typed, give a running program a moment to print, then power off.
    if (pty) return; // the PTY is the console now; stdin closing means nothing
    await Promise.race([board.whenIdle(), new Promise((r) => setTimeout(r, 2000))]);
    exit(0);
  });
  process.stdout.on('error', () => exit(0));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) exit(0);
  }, 500).unref();
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => exit(0));
  // Ctrl-C at a terminal reaches every process of the job. A supervised board leaves it to its
  // harness, which stops the board when it acts on it; a harness that ignores SIGINT keeps its board.
  process.on('SIGINT', () => {
    if (!opts.supervised) exit(0);
  });

  board.start('power');
}

module.exports = { main, parseArgs, USAGE };
