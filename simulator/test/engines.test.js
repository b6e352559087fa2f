'use strict';
// One board model, two engines: the native engine runs the ESP32's REPL as board/_repl.py, the
// WebAssembly engine MicroPython's own REPL with src/repl-driver.js. A tool must not be able to tell
// them apart on the console, so the same session must give the same bytes on both.
const { test } = require('node:test');
const assert = require('node:assert');
const { execFileSync } = require('node:child_process');
const { nativeBinary, engineOf } = require('../src/native-engine');
const { Sim, Control, tempDir, rawExec } = require('./helpers');


// The engine module's own answer (it builds the interpreter once if it can), asked once.
let available = null;
let wordScale = 1; // how many of the interpreter's bytes make one of an ESP32's (src/native-engine.js)
function nativeAvailable() {
  if (available === null) {
    try {
      wordScale = engineOf(nativeBinary()).wordScale;
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

// [what to type, what the console shows when it is done]
const SESSION = [
  [null, '>>> '],
  ['print(1+1)\r', '>>> '],
  ['2**10\r', '>>> '],
  ['x = [1,\r', '... '],
  ['2]\r', '>>> '],
  ['x\r', '>>> '],
  // auto-indent (readline_auto_indent): a block ends on the third Enter, as its blank lines are indented
  ['for i in range(2):\r', '...     '],
  ['print(i)\r', '...     '],
  ['\r', '...     '],
  ['\r', '... '],
  ['\r', '>>> '],
  ['if 1:\r', '...     '],
  [' y = 1\r', '... '], // a space just after the auto-indent keeps one of its four
  ['\r', '>>> '],
  ['def g():\r', '...     '],
  ['\x7f', '\x1b[K'], // one Backspace takes the whole indent level
  ['  return 5\r', '... '],
  ['\r', '>>> '],
  ['g()\r', '>>> '],
  ['if 1:\r', '...     '],
  ['\x7fpass\r', '... '],
  ['\r', '>>> '], // a body not indented: the REPL's SyntaxError
  ['1/0\r', '>>> '],
  ['abc\x08\x08\x03', '>>> '],
  ['\x02', '>>> '],
  ['\x01', 'raw REPL; CTRL-B to exit\r\n>'],
  ["print('raw')\x04", '\x04>'],
  ["raise ValueError('bad')\x04", '\x04>'],
  ['\x05A\x01', 'R\x01\x80\x00\x01'],
  ["print('pasted', len('" + 'y'.repeat(300) + "'))\x04", '\x04>'],
  ['\x04', 'raw REPL; CTRL-B to exit\r\n>'],
  ['\x02', '>>> '],
  ['\x04', '>>> '],
  ['print("after")\r', '>>> '],
];

async function session(engine) {
  const sim = new Sim(['--flash', tempDir(), '--engine', engine, '--uart-baud', '0']);
  try {
    await sim.expect('entry 0x400805cc\r\n', 30000);
    const start = sim.cursor;
    for (const [input, done] of SESSION) {
      if (input !== null) sim.write(input);
      await sim.expect(done, 30000);
    }
    return sim.out.slice(start, sim.cursor);
  } finally {
    await sim.kill();
  }
}

test('the native and the WebAssembly engines show the same console bytes for the same session', async (t) => {
  if (!nativeAvailable()) return t.skip('the native engine cannot be built here (see native/build.sh)');
  const wasm = await session('wasm');
  const native = await session('native');
  assert.strictEqual(JSON.stringify(native), JSON.stringify(wasm));
});

// What only the native engine gets right, as a board does: errno constants are the board's even as
// attributes (the WebAssembly compiler folds them to Linux numbers), the heap is the board's budget
// with a real MemoryError and collection while a program runs, and Ctrl-C stops a loop that only
// computes.
test('native engine: errno as on a board, a real heap with MemoryError, Ctrl-C in a busy loop', async (t) => {
  if (!nativeAvailable()) return t.skip('the native engine cannot be built here (see native/build.sh)');
  const sim = new Sim(['--flash', tempDir(), '--engine', 'native', '--heap-budget', '65536']);
  t.after(() => sim.kill());
  await sim.expect('>>> ');
  const [errno] = await rawExec(sim, "import errno\ntry:\n    raise OSError(errno.ETIMEDOUT)\nexcept OSError as e:\n    print(e.errno)");
  assert.strictEqual(errno, '116\r\n');
  const [heap] = await rawExec(sim, 'import gc\ngc.collect()\nfree = gc.mem_free()\nkept = []\n' +
    'try:\n    while True:\n        kept.append(bytearray(1024))\nexcept MemoryError:\n    n = len(kept)\nkept = None\n' +
    // 2 MB of garbage in a 64 KB heap: it is collected while the loop runs
    // on a 64-bit host the interpreter's heap is twice the board's budget (src/native-engine.js)
    // (src/native-engine.js), and its figures are in the board's bytes
    `for i in range(20000):\n    junk = bytearray(100)\ngc.collect()\nk = ${wordScale}\n` +
    'print(50 <= free // 1024 < 64, 40 * k <= n < 64 * k, gc.mem_free() > free - 1024)');
  assert.strictEqual(heap, 'True True True\r\n');
  sim.write('\r\x01');
  await sim.expect('raw REPL; CTRL-B to exit\r\n>');
  sim.write('n = 0\nwhile True:\n    n += 1\x04');
  await sim.expect('OK');
  sim.write('\x03');
  const m = await sim.expect(/\x04([\s\S]*?)\x04>/);
  assert.match(m[1], /KeyboardInterrupt/);
});

// The ESP32 port's split heap (MP ports/esp32/mpconfigport.h:30-38,86-87; py/gc.c gc_try_add_heap):
// the heap starts as one 56 KB area and adds areas on demand, up to what the budget leaves (here
// 56 KB more); gc.mem_free() counts that room too (py/modgc.c), yet no area can hold a block
// bigger than 56 KB, whatever the free total.
test('native engine: the heap starts at 56 KB and grows in areas up to the budget, as the ESP32 port\'s does', async (t) => {
  if (!nativeAvailable()) return t.skip('the native engine cannot be built here (see native/build.sh)');
  if (wordScale !== 1) return t.skip('a micropython from the PATH has no split heap');
  const sim = new Sim(['--flash', tempDir(), '--engine', 'native', '--heap-budget', '114688']);
  t.after(() => sim.kill());
  await sim.expect('>>> ');
  const [out, err] = await rawExec(sim, 'import gc\ngc.collect()\nprint(gc.mem_free() > 100000)\n' +
    'try:\n    bytearray(70000)\nexcept MemoryError:\n    print("no 70000")\n' +
    'kept = [bytearray(20000) for i in range(3)]\nprint(len(kept))');
  assert.strictEqual(err, '');
  // over 100 KB free in all, but not 70,000 bytes in one piece; 60 KB in pieces, more than the
  // first area holds, is had
  assert.strictEqual(out, 'True\r\nno 70000\r\n3\r\n');
});

// The heap is read while the program runs, after a real collection, without stopping it: the
// garbage the loop makes is not counted, what it keeps is, and the program goes on.
test('native engine: the live heap is read while a program runs, and the program goes on', async (t) => {
  if (!nativeAvailable()) return t.skip('the native engine cannot be built here (see native/build.sh)');
  const sim = new Sim(['--flash', tempDir(), '--engine', 'native', '--control', '0', '--uart-baud', '0']);
  t.after(() => sim.kill());
  await sim.expect('>>> ');
  const ctl = await Control.connect(await sim.controlPort());
  t.after(() => ctl.close());
  sim.write('\r\x01');
  await sim.expect('raw REPL; CTRL-B to exit\r\n>');
  sim.write('import time\nkept = []\nn = 0\nwhile True:\n    junk = bytearray(2000)\n' +
    '    if n % 50 == 0:\n        kept.append(bytearray(1000))\n        print("kept", len(kept))\n    n += 1\n    time.sleep_ms(1)\x04');
  await sim.expect('kept 2\r\n');
  const first = (await ctl.send({ cmd: 'heap', live: true })).heap;
  await sim.expect('kept 12\r\n');
  const later = (await ctl.send({ cmd: 'heap', live: true })).heap;
  await sim.expect('kept 14\r\n', 5000); // still running
  assert.strictEqual(first.live, true);
  // ten more kept blocks of 1000 bytes (the figures are the interpreter's bytes over its word scale);
  // a 2000-byte garbage block would count if it had not been collected
  const grew = (later.used - first.used) * wordScale;
  assert.ok(grew >= 9000 && grew < 14000, `grew ${grew}`);
  assert.ok(later.largest_free > 0 && later.largest_free <= later.free, JSON.stringify(later));
  assert.ok(later.free + later.used <= later.budget, JSON.stringify(later));
});

// A board's interpreter process ends with its simulator, however the simulator ends.
test('native engine: the interpreter process does not outlive a SIGKILLed simulator', async (t) => {
  if (!nativeAvailable()) return t.skip('the native engine cannot be built here (see native/build.sh)');
  const sim = new Sim(['--flash', tempDir(), '--engine', 'native']);
  t.after(() => sim.kill());
  await sim.expect('>>> ');
  sim.write('\r\x01');
  await sim.expect('raw REPL; CTRL-B to exit\r\n>');
  sim.write('while True:\n    pass\x04'); // busy: it makes no request that would find the pipes closed
  await sim.expect('OK');
  const child = Number(execFileSync('pgrep', ['-P', String(sim.proc.pid)], { encoding: 'utf8' }).trim().split('\n')[0]);
  assert.ok(child > 0);
  process.kill(sim.proc.pid, 'SIGKILL');
  const alive = () => {
    try {
      process.kill(child, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50)); // waits on the condition, 5 s at most
  assert.strictEqual(alive(), false);
});
