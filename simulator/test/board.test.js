'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const { Sim, Control, tempDir, rawExec } = require('./helpers');

test('the live heap is measured at the prompt: kept objects count, garbage does not', async (t) => {
  const sim = new Sim(['--flash', tempDir(), '--heap-budget', '40000', '--control', '0']);
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
  assert.deepStrictEqual(heap.heap, { used: freed.used, high_water: freed.high_water, budget: 40000 });
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

test('power-cycle reboots the board and machine.reset() reboots it with SW_CPU_RESET', async (t) => {
  const sim = new Sim(['--flash', tempDir(), '--control', '0']);
  t.after(() => sim.kill());
  const ctl = await Control.connect(await sim.controlPort());
  t.after(() => ctl.close());
  await sim.expect('>>> ');
  await ctl.send({ cmd: 'power_cycle' });
  await sim.expect('rst:0x1 (POWERON_RESET)');
  await sim.expect('>>> ');
  sim.write('import machine; machine.reset()\r');
  await sim.expect('rst:0xc (SW_CPU_RESET)');
  await sim.expect('>>> ');
  const [out] = await rawExec(sim, 'import machine\nprint(machine.reset_cause() == machine.SOFT_RESET)');
  assert.strictEqual(out, 'True\r\n');
});

test('the shutdown command ends the process', async () => {
  const sim = new Sim(['--flash', tempDir(), '--control', '0']);
  const ctl = await Control.connect(await sim.controlPort());
  await ctl.send({ cmd: 'shutdown' });
  assert.strictEqual(await sim.exited, 0);
  ctl.close();
});
