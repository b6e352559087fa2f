'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { Sim, Control, tempDir, rawExec } = require('./helpers');

test('the live heap is measured at the prompt: kept objects count, garbage does not', async (t) => {
  // room for the 48 KB it keeps: on the native engine the budget is a real heap
  const sim = new Sim(['--flash', tempDir(), '--heap-budget', '96000', '--control', '0']);
  t.after(() => sim.kill());
  const ctl = await Control.connect(await sim.controlPort());
  t.after(() => ctl.close());
  await sim.expect('>>> ');
  // A program that makes far more garbage than the budget must not fail: only live objects count.
  const [out, err] = await rawExec(sim, 'import time\nfor i in range(300):\n    b = bytearray(4000)\n    time.sleep_ms(0)\nkeep = [bytearray(4000) for i in range(12)]\nprint("done")');
  assert.strictEqual(err, '');
  assert.strictEqual(out, 'done\r\n');
  const kept = await ctl.waitFor((l) => l.event === 'heap' && l.used > 48000);
  assert.ok(kept.used < 60000, `garbage was counted as live: ${JSON.stringify(kept)}`);
  await rawExec(sim, 'del keep');
  const freed = await ctl.waitFor((l) => l.event === 'heap' && l.used < 10000 && l.high_water > 48000);
  assert.ok(freed.high_water >= kept.used && freed.high_water < 60000, JSON.stringify(freed));
  const heap = await ctl.send({ cmd: 'heap' });
  assert.deepStrictEqual(heap.heap, { used: freed.used, high_water: freed.high_water, budget: 96000 });
});

test('--seed makes os.urandom and random reproducible', async (t) => {
  const run = async (seed) => {
    const sim = new Sim(['--flash', tempDir(), '--seed', String(seed)]);
    t.after(() => sim.kill());
    await sim.expect('>>> ');
    const [out] = await rawExec(sim, 'import os, random\nprint(os.urandom(8), random.getrandbits(16))');
    return out;
  };
  const a = await run(7);
  assert.strictEqual(await run(7), a);
  assert.notStrictEqual(await run(8), a);
});

test('pins and ADC: outputs are reported as events, inputs and ADC values come from the bench', async (t) => {
  const sim = new Sim(['--flash', tempDir(), '--control', '0']);
  t.after(() => sim.kill());
  const ctl = await Control.connect(await sim.controlPort());
  t.after(() => ctl.close());
  await sim.expect('>>> ');
  await ctl.send({ cmd: 'set_pin', pin: 4, value: 1 });
  await ctl.send({ cmd: 'set_adc', pin: 34, value: 32768 });
  const [out] = await rawExec(sim, 'from machine import Pin, ADC\nled = Pin(2, Pin.OUT)\nled.on()\nprint(Pin(4, Pin.IN).value(), Pin(5, Pin.IN, Pin.PULL_UP).value(), ADC(Pin(34)).read())');
  assert.strictEqual(out, '1 1 2048\r\n');
  const ev = await ctl.waitFor((l) => l.event === 'pin' && l.pin === 2 && l.value === 1);
  assert.ok(ev);
  assert.deepStrictEqual((await ctl.send({ cmd: 'pins' })).outputs, { 2: 1 });
});

test('the control channel answers a malformed line with an error and stays open', async (t) => {
  const sim = new Sim(['--flash', tempDir(), '--control', '0']);
  t.after(() => sim.kill());
  const ctl = await Control.connect(await sim.controlPort());
  t.after(() => ctl.close());
  ctl.sendRaw('{not json');
  const bad = await ctl.waitFor((l) => l.ok === false);
  assert.match(bad.error, /not JSON/);
  const unknown = await ctl.send({ cmd: 'levitate' });
  assert.match(unknown.error, /unknown command "levitate"/);
  assert.strictEqual((await ctl.send({ cmd: 'wifi' })).ok, true);
});

// machine.reset_cause() as the ESP32 port maps esp_reset_reason() (MP ports/esp32/modmachine.c:233-260;
// main.c sets SOFT_RESET on a soft reboot): EN button and power are PWRON_RESET, machine.reset() is
// ESP_RST_SW = HARD_RESET (ROM line SW_CPU_RESET), Ctrl-D is SOFT_RESET, a deep-sleep wake DEEPSLEEP_RESET.
test('every kind of reset boots with the ROM line and machine.reset_cause() a board reports', async (t) => {
  const sim = new Sim(['--flash', tempDir(), '--control', '0']);
  t.after(() => sim.kill());
  const ctl = await Control.connect(await sim.controlPort());
  t.after(() => ctl.close());
  const cause = async () => (await rawExec(sim, 'import machine\nprint(machine.reset_cause())'))[0].trim();
  await sim.expect('>>> ');
  await ctl.send({ cmd: 'power_cycle' });
  await sim.expect('rst:0x1 (POWERON_RESET)');
  await sim.expect('>>> ');
  assert.strictEqual(await cause(), '1');
  await ctl.send({ cmd: 'reset' });
  await sim.expect('rst:0x1 (POWERON_RESET)');
  await sim.expect('>>> ');
  assert.strictEqual(await cause(), '1');
  sim.write('import machine; machine.reset()\r');
  await sim.expect('rst:0xc (SW_CPU_RESET)');
  await sim.expect('>>> ');
  assert.strictEqual(await cause(), '2');
  sim.write('\x04');
  await sim.expect('MPY: soft reboot');
  await sim.expect('>>> ');
  assert.strictEqual(await cause(), '5');
  sim.write('import machine; machine.deepsleep(300)\r');
  await sim.expect('rst:0x5 (DEEPSLEEP_RESET)');
  await sim.expect('>>> ');
  assert.strictEqual(await cause(), '4');
});

// The board's clock: an int of seconds since 2000-01-01 (MP py/mpconfig.h: the epoch is 1970 only on
// ports that set MICROPY_EPOCH_IS_1970, which the ESP32 does not; ports/esp32/modtime.c returns an int),
// counted from power-on unless set through machine.RTC (as ntptime does); a soft reboot keeps it, EN resets it.
test('time.time() counts from 2000 since power-on, RTC.datetime() sets it, a soft reboot keeps it, EN resets it', async (t) => {
  const sim = new Sim(['--flash', tempDir(), '--control', '0']);
  t.after(() => sim.kill());
  const ctl = await Control.connect(await sim.controlPort());
  t.after(() => ctl.close());
  await sim.expect('>>> ');
  const [fresh] = await rawExec(sim, 'import time\nt = time.time()\nprint(type(t).__name__, t < 30, time.gmtime(0)[:3], time.mktime((2000, 1, 1, 0, 0, 0, 0, 0)))');
  assert.strictEqual(fresh, 'int True (2000, 1, 1) 0\r\n');
  const [set] = await rawExec(sim, 'import machine, time\nmachine.RTC().datetime((2026, 12, 1, 0, 13, 44, 23, 0))\n' +
    'print(time.localtime()[:6], machine.RTC().datetime()[3])');
  assert.strictEqual(set, '(2026, 12, 1, 13, 44, 23) 1\r\n'); // weekday computed: a Tuesday
  sim.write('\x04');
  await sim.expect('MPY: soft reboot');
  await sim.expect('>>> ');
  const [kept] = await rawExec(sim, 'import time\nprint(time.localtime()[0])');
  assert.strictEqual(kept, '2026\r\n');
  await ctl.send({ cmd: 'reset' });
  await sim.expect('rst:0x1 (POWERON_RESET)');
  await sim.expect('>>> ');
  const [reset] = await rawExec(sim, 'import time\nprint(time.localtime()[0])');
  assert.strictEqual(reset, '2000\r\n');
});

// main.py runs only if boot.py did not raise (MP ports/esp32/main.c:161-166, shared/runtime/pyexec.h:46-48).
test('an exception in boot.py skips main.py, as on a board', async (t) => {
  const flash = tempDir();
  fs.writeFileSync(path.join(flash, 'boot.py'), 'raise ValueError("broken boot")\n');
  fs.writeFileSync(path.join(flash, 'main.py'), 'print("MAIN RAN")\n');
  const sim = new Sim(['--flash', flash]);
  t.after(() => sim.kill());
  await sim.expect('ValueError: broken boot');
  await sim.expect('>>> ');
  assert.doesNotMatch(sim.out, /MAIN RAN/);
});

// The board's identity (MP ports/esp32/mpconfigport.h:350 "esp32"; py/modsys.c sys.implementation with the
// board name and the xtensawin .mpy arch; os.uname() an attribute tuple).
test('sys and os say ESP32: platform, implementation and uname attributes', async (t) => {
  const sim = new Sim(['--flash', tempDir()]);
  t.after(() => sim.kill());
  await sim.expect('>>> ');
  const [out] = await rawExec(sim, 'import sys, os\nu = os.uname()\nprint(sys.platform, sys.implementation.name, sys.implementation._machine)\n' +
    'print(sys.implementation._mpy >> 10, sys.implementation._build, u.sysname, u.release, u.machine)');
  assert.strictEqual(out, 'esp32 micropython Generic ESP32 module with ESP32\r\n10 ESP32_GENERIC esp32 1.27.0 Generic ESP32 module with ESP32\r\n');
});

test('the shutdown command ends the process', async () => {
  const sim = new Sim(['--flash', tempDir(), '--control', '0']);
  const ctl = await Control.connect(await sim.controlPort());
  await ctl.send({ cmd: 'shutdown' });
  assert.strictEqual(await sim.exited, 0);
  ctl.close();
});

// machine.WDT is ESP-IDF's task watchdog with trigger_panic (MP ports/esp32/machine_wdt.c): fed, the
// board runs on; starved, it panics and restarts, and reset_cause() is WDT_RESET (3)
// (ports/esp32/modmachine.c: ESP_RST_TASK_WDT).
test('a fed watchdog keeps the board running; a starved one resets it with WDT_RESET', async (t) => {
  const flash = tempDir();
  fs.writeFileSync(path.join(flash, 'main.py'),
    'import machine, time\nprint("cause", machine.reset_cause())\nif machine.reset_cause() != machine.WDT_RESET:\n' +
    '    w = machine.WDT(timeout=300)\n    for _ in range(6):\n        time.sleep_ms(100)\n        w.feed()\n' +
    '    print("fed")\n    time.sleep_ms(2000)\n    print("survived")\n');
  const sim = new Sim(['--flash', flash]);
  t.after(() => sim.kill());
  await sim.expect('cause 1\r\n');
  await sim.expect('fed\r\n');
  await sim.expect('task_wdt: Task watchdog got triggered');
  await sim.expect('rst:0xc (SW_CPU_RESET)');
  await sim.expect('cause 3\r\n');
  assert.ok(!sim.out.includes('survived'), sim.out);
});
