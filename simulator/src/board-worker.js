'use strict';
// One simulated ESP32: the MicroPython interpreter runs on this worker thread. It never returns to
// its event loop while the board runs, so every blocking operation (serial input, sockets, sleep)
// is a request to the host thread answered through shared memory (see Bridge).
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const { FlashMirror } = require('./flash-mirror');
const { ReplDriver } = require('./repl-driver');
const { ERRNO } = require('./errors');
const { SerialOut } = require('./serial-out');

const BOARD_DIR = path.join(__dirname, '..', 'board');
const TX_FILE = '/.board/.tx';
const RX_FILE = '/.board/.rx';

class Bridge {
  constructor(shared) {
    this.ctl = new Int32Array(shared.ctl);
    this.data = new Uint8Array(shared.data);
  }

  // Posts a request and blocks this thread until the host answers. Returns the answer's JSON text
  // and the raw bytes that came with it (null when none).
  call(op, args) {
    Atomics.store(this.ctl, 0, 0);
    parentPort.postMessage({ t: 'call', op, args });
    // Under load Atomics.wait has returned before the answer was written, and the board read the
    // previous answer again (a serial input chunk twice, corrupting raw-paste code): trust only the flag.
    while (Atomics.load(this.ctl, 0) === 0) Atomics.wait(this.ctl, 0, 0);
    const len = this.ctl[1];
    const binLen = this.ctl[2];
    const json = Buffer.from(this.data.subarray(0, len)).toString('utf8');
    return { json, bin: binLen >= 0 ? this.data.slice(len, len + binLen) : null };
  }

  notify(msg) {
    parentPort.postMessage(msg);
  }
}

async function loadInterpreter(out) {
  const { loadMicroPython } = await import('@micropython/micropython-webassembly-pyscript');
  return loadMicroPython({
    stdout: (bytes) => out.push(bytes),
    stderr: (bytes) => out.push(bytes),
    linebuffer: false,
    heapsize: 64 * 1024,
  });
}

function installBoardModules(mp) {
  mp.FS.mkdir('/.board');
  for (const name of fs.readdirSync(BOARD_DIR)) {
    if (name.endsWith('.py')) mp.FS.writeFile('/.board/' + name, fs.readFileSync(path.join(BOARD_DIR, name)));
  }
  // One errno table for both sides of the bridge: board/_errno.py builds the errno module from it.
  const table = Object.entries(ERRNO).map(([name, n]) => `${n}: ${JSON.stringify(name)}`).join(', ');
  mp.FS.writeFile('/.board/_errno_table.py', `errorcode = {${table}}\n`);
}

// This port frees memory only when control returns to its top level (it cannot scan the WebAssembly
// stack for roots), so the live heap can be measured only between top-level runs: ask for a
// collection, which happens as that run returns, then read the figure in a second run.
function measureHeap(mp, baseline = false) {
  mp.runPython("__import__('gc').collect()");
  return mp.runPython(`__import__('_board').measure(${baseline ? 'True' : 'False'})`);
}

// The interpreter's thread sleeps while the UART catches up.
const PAUSE = new Int32Array(new SharedArrayBuffer(4));
function blockFor(ms) {
  Atomics.wait(PAUSE, 0, 0, ms);
}

function pyStr(s) {
  return JSON.stringify(String(s));
}

async function main() {
  const cfg = workerData;
  const bridge = new Bridge(cfg.shared);
  const out = new SerialOut(cfg.uartBaud, (data) => parentPort.postMessage({ t: 'out', data }), blockFor);
  let resetCause = cfg.resetCause;
  let rawMode = false;

  // Bytes cross between MicroPython and JS through two files of the in-memory file system (the
  // board's socket layer reads and writes them), not as strings: see Board.respond.
  let fs = null;
  globalThis.hil_call = (op, argsJson, withData) => {
    out.flush();
    const args = JSON.parse(argsJson);
    if (withData) args.push(fs.readFile(TX_FILE));
    const { json, bin } = bridge.call(op, args);
    if (bin) fs.writeFile(RX_FILE, bin);
    return json;
  };
  globalThis.hil_notify = (json) => {
    out.flush();
    bridge.notify({ t: 'event', event: JSON.parse(json) });
  };

  for (;;) {
    const mp = await loadInterpreter(out);
    fs = mp.FS;
    installBoardModules(mp);
    new FlashMirror(mp.FS, cfg.flashDir).load();
    mp.runPython(
      `import sys\nsys.path.insert(1, '/.board')\nimport _board\n` +
        `_board.init(${cfg.heapBudget}, ${cfg.seed === null ? 'None' : cfg.seed}, ${resetCause}, ${pyStr(cfg.mac)})\n`,
    );
    measureHeap(mp, true);
    const runFile = (name) => {
      // runPython gives back no value: the outcome comes through a global, removed at once
      mp.runPython(`_boot_outcome = _board.run_file(${pyStr(name)})`);
      const result = mp.globals.get('_boot_outcome');
      mp.runPython('del _boot_outcome');
      out.flush();
      measureHeap(mp);
      return result;
    };
    // main.py runs only when boot.py ended normally: an exception in boot.py goes straight to the
    // REPL (MP ports/esp32/main.c:161-166, PYEXEC_UNHANDLED_EXCEPTION is 0 in shared/runtime/pyexec.h).
    const boot = runFile('boot.py');
    let softReset = boot === 'exit';
    if (!softReset && !rawMode && boot !== 'error') softReset = runFile('main.py') === 'exit';
    if (!softReset) {
      const repl = new ReplDriver(mp, out, bridge, rawMode, () => measureHeap(mp));
      repl.start();
      const outcome = repl.run();
      rawMode = outcome.rawMode;
    }
    out.flush();
    out.write('MPY: soft reboot\r\n');
    out.flush();
    // The board's gc_sweep_all() runs every socket's finaliser: they all close (MP ports/esp32/main.c:212).
    bridge.notify({ t: 'soft_reboot' });
    // A soft reboot restarts the interpreter only; machine.reset_cause() says SOFT_RESET from now on
    // (MP ports/esp32/main.c sets it on the soft-reset path).
    resetCause = 5;
  }
}

main().catch((err) => {
  parentPort.postMessage({ t: 'fatal', message: String((err && err.stack) || err) });
});
