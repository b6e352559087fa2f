'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { Sim, tempDir, rawExec } = require('./helpers');

test('boot prints the reset line and banner, runs boot.py then main.py, then offers the REPL', async (t) => {
  const flash = tempDir();
  fs.writeFileSync(path.join(flash, 'boot.py'), 'print("boot ran")\n');
  fs.writeFileSync(path.join(flash, 'main.py'), 'print("main ran")\n');
  const sim = new Sim(['--flash', flash]);
  t.after(() => sim.kill());
  await sim.expect('rst:0x1 (POWERON_RESET)');
  await sim.expect('boot ran\r\n');
  await sim.expect('main ran\r\n');
  await sim.expect('MicroPython v1.27.0 on 2025-12-10; Generic ESP32 module with ESP32\r\n');
  await sim.expect('>>> ');
  sim.write('print(6*7)\r');
  await sim.expect('42\r\n>>> ');
});

test('a broken main.py prints a traceback as a board does and falls through to the REPL', async (t) => {
  const flash = tempDir();
  fs.writeFileSync(path.join(flash, 'main.py'), 'x = 1\ndef f():\n    return 1 / 0\nf()\n');
  const sim = new Sim(['--flash', flash]);
  t.after(() => sim.kill());
  await sim.expect(
    'Traceback (most recent call last):\r\n  File "main.py", line 4, in <module>\r\n  File "main.py", line 3, in f\r\nZeroDivisionError: divide by zero\r\n',
  );
  await sim.expect('>>> ');
});

test('a syntax error in main.py is reported with the file and line', async (t) => {
  const flash = tempDir();
  fs.writeFileSync(path.join(flash, 'main.py'), 'print("ok")\nif True\n');
  const sim = new Sim(['--flash', flash]);
  t.after(() => sim.kill());
  await sim.expect('Traceback (most recent call last):\r\n  File "main.py", line 2\r\nSyntaxError: invalid syntax\r\n');
  await sim.expect('>>> ');
  assert.ok(!sim.out.includes('ok\r\n'), 'nothing of a file that does not compile runs');
});

test('Ctrl-C interrupts a sleeping program with KeyboardInterrupt', async (t) => {
  const flash = tempDir();
  fs.writeFileSync(path.join(flash, 'main.py'), 'import time\nprint("looping")\nwhile True:\n    time.sleep_ms(50)\n');
  const sim = new Sim(['--flash', flash]);
  t.after(() => sim.kill());
  await sim.expect('looping\r\n');
  sim.write('\x03');
  await sim.expect('KeyboardInterrupt: \r\n');
  await sim.expect('>>> ');
  sim.write('print("alive")\r');
  await sim.expect('alive\r\n');
});

test('Ctrl-D at the friendly REPL soft-resets and runs boot.py and main.py again', async (t) => {
  const flash = tempDir();
  fs.writeFileSync(path.join(flash, 'main.py'), 'print("main ran")\n');
  const sim = new Sim(['--flash', flash]);
  t.after(() => sim.kill());
  await sim.expect('main ran\r\n');
  await sim.expect('>>> ');
  sim.write('x = 5\r');
  await sim.expect('>>> ');
  sim.write('\x04');
  await sim.expect('MPY: soft reboot\r\n');
  await sim.expect('main ran\r\n');
  await sim.expect('>>> ');
  sim.write('print("x" in globals())\r');
  await sim.expect('False\r\n', 5000);
});

test('raw REPL: exec splits output from error text, byte for byte', async (t) => {
  const sim = new Sim(['--flash', tempDir()]);
  t.after(() => sim.kill());
  await sim.expect('>>> ');
  sim.write('\r\x01');
  await sim.expect('\r\nraw REPL; CTRL-B to exit\r\n>');
  sim.write('print(123)\x04');
  await sim.expect('OK123\r\n\x04\x04>');
  sim.write('1/0\x04');
  await sim.expect('OK\x04Traceback (most recent call last):\r\n  File "<stdin>", line 1, in <module>\r\nZeroDivisionError: divide by zero\r\n\x04>');
  sim.write('\x02');
  await sim.expect('>>> ');
});

test('raw REPL soft reset runs boot.py but not main.py and stays in the raw REPL', async (t) => {
  const flash = tempDir();
  fs.writeFileSync(path.join(flash, 'boot.py'), 'print("boot ran")\n');
  fs.writeFileSync(path.join(flash, 'main.py'), 'print("main ran")\n');
  const sim = new Sim(['--flash', flash]);
  t.after(() => sim.kill());
  await sim.expect('>>> ');
  sim.write('\r\x01');
  await sim.expect('raw REPL; CTRL-B to exit\r\n>');
  sim.write('\x04');
  await sim.expect('OK\r\nMPY: soft reboot\r\nboot ran\r\nraw REPL; CTRL-B to exit\r\n>');
  sim.write('print("still raw")\x04');
  await sim.expect('OKstill raw\r\n\x04\x04>');
  assert.strictEqual(sim.out.split('main ran').length - 1, 1, 'main.py ran only at power-on');
});

test('raw-paste mode: answered R\\x01 with a 128-byte window, flow control, and the exec result', async (t) => {
  const sim = new Sim(['--flash', tempDir()]);
  t.after(() => sim.kill());
  await sim.expect('>>> ');
  sim.write('\r\x01');
  await sim.expect('raw REPL; CTRL-B to exit\r\n>');
  sim.write('\x05A\x01');
  await sim.expect('R\x01\x80\x00\x01');
  const code = Buffer.from('x = ' + '1 + '.repeat(80) + '1\nprint("sum", x)\n', 'latin1');
  assert.ok(code.length > 256);
  // Send within the window: 256 bytes now, 128 more for every \x01 the board sends.
  let sent = 0;
  let window = 256;
  let grants = 0;
  while (sent < code.length) {
    if (window === 0) {
      await sim.expect('\x01');
      grants++;
      window += 128;
    }
    const n = Math.min(window, code.length - sent);
    sim.write(code.subarray(sent, sent + n).toString('latin1'));
    sent += n;
    window -= n;
  }
  sim.write('\x04');
  await sim.expect(/\x04sum 81\r\n\x04\x04>/);
  assert.ok(grants >= 1, 'the board granted further windows');
});

test('a file put through the raw REPL lands in the flash directory and survives a restart', async (t) => {
  const flash = tempDir();
  const sim = new Sim(['--flash', flash]);
  await sim.expect('>>> ');
  const [out, err] = await rawExec(sim, "f = open('data.txt', 'w')\nf.write('kept')\nf.close()\nimport os\nos.mkdir('lib')\nprint(os.listdir('/'))");
  assert.strictEqual(err, '');
  assert.match(out, /\['data.txt', 'lib'\]|\['lib', 'data.txt'\]/);
  assert.strictEqual(fs.readFileSync(path.join(flash, 'data.txt'), 'utf8'), 'kept');
  assert.ok(fs.statSync(path.join(flash, 'lib')).isDirectory());
  await sim.kill();
  const again = new Sim(['--flash', flash]);
  t.after(() => again.kill());
  await again.expect('>>> ');
  const [out2] = await rawExec(again, "print(open('data.txt').read())");
  assert.strictEqual(out2, 'kept\r\n');
});

test('the process ends when stdin closes, after running what it received', async () => {
  const sim = new Sim(['--flash', tempDir()]);
  sim.write('print(1)\n');
  sim.proc.stdin.end();
  const code = await sim.exited;
  assert.strictEqual(code, 0);
  assert.match(sim.out, />>> print\(1\)\r\n1\r\n/);
});

test('SIGINT powers a board off, unless a harness supervises it', async (t) => {
  const alone = new Sim(['--flash', tempDir()]);
  await alone.expect('>>> ');
  alone.proc.kill('SIGINT');
  assert.strictEqual(await alone.exited, 0);
  const supervised = new Sim(['--flash', tempDir(), '--supervised']);
  t.after(() => supervised.kill());
  await supervised.expect('>>> ');
  supervised.proc.kill('SIGINT');
  supervised.write('print(6 * 7)\r');
  await supervised.expect('42');
  assert.strictEqual(supervised.proc.exitCode, null);
});

test('a --flash-temporary folder is removed when the board powers off; a plain --flash folder stays', async (t) => {
  const flash = path.join(tempDir(), 'flash');
  const sim = new Sim(['--flash', flash, '--flash-temporary']);
  t.after(() => sim.kill());
  await sim.expect('>>> ');
  assert.ok(fs.existsSync(flash));
  sim.proc.kill('SIGTERM');
  assert.strictEqual(await sim.exited, 0);
  assert.ok(!fs.existsSync(flash), 'the flash folder is gone');
  const kept = tempDir();
  const plain = new Sim(['--flash', kept]);
  t.after(() => plain.kill());
  await plain.expect('>>> ');
  plain.proc.kill('SIGTERM');
  await plain.exited;
  assert.ok(fs.existsSync(kept), 'a --flash folder of the user stays');
});

test('a bad option prints usage and exits 2', async () => {
  const sim = new Sim(['--frobnicate']);
  const code = await sim.exited;
  assert.strictEqual(code, 2);
  assert.match(sim.err, /unknown option "--frobnicate"/);
  assert.match(sim.err, /usage: esp32sim/);
  const bad = new Sim(['--heap-budget', 'lots']);
  assert.strictEqual(await bad.exited, 2);
  assert.match(bad.err, /--heap-budget needs a whole number/);
});

// The console UART runs at 115200 baud, 8N1 (MP ports/esp32/uart.h:42-43), behind a 128-byte TX FIFO
// that print blocks on while it is full (ports/esp32/uart.c:84-100, mphalport.c:145-185): 100 lines of
// 80 bytes take the firmware at least (8000 - 128) / 11520 s, about 0.68 s.
test('console output is paced at 115200 baud: print blocks the program as on a board', async (t) => {
  const flash = tempDir();
  fs.writeFileSync(path.join(flash, 'main.py'),
    'import time\nt0 = time.ticks_ms()\nfor i in range(100):\n    print("%078d" % i)\nprint("took", time.ticks_diff(time.ticks_ms(), t0))\n');
  const sim = new Sim(['--flash', flash]);
  t.after(() => sim.kill());
  const took = Number((await sim.expect(/took (\d+)\r\n/, 20000))[1]);
  assert.ok(took >= Math.floor(((8000 - 128) / 11520) * 1000), `100 lines took ${took} ms`);
});

test('esp32sim refuses a console speed a UART cannot have, with its usage and exit 2', async () => {
  const sim = new Sim(['--uart-baud', '7']);
  assert.strictEqual(await sim.exited, 2);
  assert.match(sim.err, /--uart-baud is 0 or from 300 to 5000000, got 7/);
  assert.match(sim.err, /usage: esp32sim/);
});
