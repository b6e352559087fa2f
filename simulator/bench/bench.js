'use strict';
// Prints the simulator's figures for both engines side by side: process start to the REPL prompt, a
// further board's start in a running simulator, the bridge's TCP round trip, memory per board (as a
// process, and as one more board of a shared process), CPU speed, and the firmware's echo against
// its own development server. Run: npm run bench
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Board } = require('../src/board');
const { nativeBinary } = require('../src/native-engine');

const BIN = path.join(__dirname, '..', 'bin', 'esp32sim');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'esp32sim-bench-'));
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssKiB = (pid) => {
  try {
    return Number((/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8')) || [0, 0])[1]);
  } catch {
    return 0; // it ended meanwhile
  }
};

// RSS of a process and of the processes it started (a native board's interpreter)
function treeKiB(pid) {
  let kids = [];
  try {
    kids = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    // none
  }
  return rssKiB(pid) + kids.reduce((sum, k) => sum + rssKiB(k), 0);
}

function bootOnce(engine) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, '--flash', tmp(), '--engine', engine], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.endsWith('>>> ')) {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const rss = treeKiB(child.pid);
        child.stdin.end();
        child.on('exit', () => resolve({ ms, rss }));
      }
    });
    child.on('error', reject);
  });
}

function exec(child, code) {
  return new Promise((resolve) => {
    let out = '';
    const onData = (d) => {
      out += d;
      const m = /OK([\s\S]*?)\x04([\s\S]*?)\x04>$/.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        resolve(m[1] + m[2]);
      }
    };
    child.stdout.on('data', onData);
    child.stdin.write(code + '\x04');
  });
}

async function roundTrip(engine, rounds) {
  const server = net.createServer((s) => s.on('error', () => {}).pipe(s));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const child = spawn(process.execPath, [BIN, '--flash', tmp(), '--wifi', 'b:pw', '--join-ms', '10', '--engine', engine], { stdio: ['pipe', 'pipe', 'inherit'] });
  await rawReady(child);
  const result = await exec(child,
    "import network, socket, time\nw = network.WLAN(network.STA_IF)\nw.active(True)\nw.connect('b', 'pw')\n" +
    'while not w.isconnected(): time.sleep_ms(5)\n' +
    `s = socket.socket()\ns.connect(('127.0.0.1', ${server.address().port}))\n` +
    `t = time.ticks_us()\nfor i in range(${rounds}):\n    s.write(b'x')\n    s.recv(1)\n` +
    'print(time.ticks_diff(time.ticks_us(), t))\ns.close()');
  child.stdin.end();
  server.close();
  const us = Number(result.trim());
  if (!Number.isFinite(us)) throw new Error('round-trip run failed: ' + result);
  return us / rounds / 2; // each round is one send and one recv: two bridge calls
}

function rawReady(child) {
  return new Promise((resolve) => {
    let out = '';
    const onData = (d) => {
      out += d;
      if (out.includes('raw REPL; CTRL-B to exit\r\n>')) {
        child.stdout.off('data', onData);
        resolve();
      } else if (out.endsWith('>>> ')) child.stdin.write('\r\x01');
    };
    child.stdout.on('data', onData);
  });
}

// CPU: a loop of integer arithmetic and calls, as bytecode; ms for the whole of it.
async function cpu(engine) {
  const child = spawn(process.execPath, [BIN, '--flash', tmp(), '--engine', engine], { stdio: ['pipe', 'pipe', 'inherit'] });
  await rawReady(child);
  const result = await exec(child, 'import time\ndef f(n):\n    s = 0\n    for i in range(n):\n        s = (s + i * i) % 1000003\n    return s\n' +
    't = time.ticks_ms()\nf(300000)\nprint(time.ticks_diff(time.ticks_ms(), t))');
  child.stdin.end();
  return Number(result.trim());
}

// The firmware's echo: round trips per second of 64-byte text messages between its client (as the
// harness puts it on a board: compiled where the native build's mpy-cross is there) and
// firmware/tools/test_server.py on loopback, with and without a log line per message.
const FIRMWARE = path.join(__dirname, '..', '..', 'firmware');
const MPY_CROSS = path.join(__dirname, '..', 'build', 'native', 'mpy-cross');

async function firmwareEcho(engine) {
  const server = spawn('python3', [path.join(FIRMWARE, 'tools', 'test_server.py'), '--host', '127.0.0.1', '--port', '0', '--interval', '0', '--no-console'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d;
      const m = /listening on ws:\/\/[^:]+:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => reject(new Error(`test_server.py ended (${code}): ${out}`)));
  });
  const flash = tmp();
  const client = path.join(FIRMWARE, 'ports', 'esp32', 'modules', 'websocket_client.py');
  if (fs.existsSync(MPY_CROSS)) execFileSync(MPY_CROSS, ['-s', 'websocket_client.py', '-o', path.join(flash, 'websocket_client.mpy'), client]);
  else fs.copyFileSync(client, path.join(flash, 'websocket_client.py'));
  fs.writeFileSync(path.join(flash, 'config.py'), `WIFI_SSID = "b"\nWIFI_PASSWORD = "pw"\nWS_URL = "ws://127.0.0.1:${port}/"\nPING_INTERVAL_MS = 0\nSTATUS_INTERVAL_MS = 0\n`);
  const child = spawn(process.execPath, [BIN, '--flash', flash, '--wifi', 'b:pw', '--join-ms', '10', '--engine', engine], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    await rawReady(child);
    await exec(child, 'import websocket_client as w\nc = w.Client(w.load_config())\ngot = [0]\ndef on(m):\n    got[0] += 1\n' +
      'c.on_message = on\nwhile not c.connected:\n    c.poll(100)');
    const rate = async () => {
      const out = await exec(child, "import time\nmsg = 'x' * 64\nn = 0\nt0 = time.ticks_ms()\nwhile time.ticks_diff(time.ticks_ms(), t0) < 3000:\n" +
        '    want = got[0] + 1\n    c.send(msg)\n    while got[0] < want:\n        c.poll(1000)\n    n += 1\nprint(n * 1000 // time.ticks_diff(time.ticks_ms(), t0))');
      const perSecond = Number(out.trim().split('\n').pop());
      if (!Number.isFinite(perSecond)) throw new Error('echo run failed: ' + out);
      return perSecond;
    };
    const logged = await rate();
    await exec(child, "c.cfg['LOG_MESSAGES'] = False");
    return { logged, quiet: await rate() };
  } finally {
    child.stdin.end();
    server.kill();
  }
}

// Further boards in one simulator process: the start of each (power-on to its prompt) and the memory
// each adds (the process's own and, on the native engine, its interpreter process).
async function furtherBoards(engine, count) {
  const binary = engine === 'native' ? nativeBinary() : null;
  const first = new Board({ flashDir: tmp(), nativeBinary: binary });
  first.start('power');
  await first.whenIdle();
  const before = treeKiB(process.pid);
  const boards = [];
  const starts = [];
  for (let i = 0; i < count; i++) {
    const board = new Board({ flashDir: tmp(), nativeBinary: binary });
    const t0 = process.hrtime.bigint();
    board.start('power');
    await board.whenIdle();
    starts.push(Number(process.hrtime.bigint() - t0) / 1e6);
    boards.push(board);
  }
  const after = treeKiB(process.pid);
  await Promise.all([first, ...boards].map((b) => b.shutdown()));
  return { startMs: median(starts), kib: (after - before) / count };
}

async function main() {
  const rows = [];
  for (const engine of ['native', 'wasm']) {
    const boots = [];
    for (let i = 0; i < 5; i++) boots.push(await bootOnce(engine));
    const rounds = 2000;
    const perCall = await roundTrip(engine, rounds);
    const further = await furtherBoards(engine, 10);
    rows.push({ engine, boot: median(boots.map((b) => b.ms)), rss: median(boots.map((b) => b.rss)), perCall, further, cpu: await cpu(engine), echo: await firmwareEcho(engine) });
  }
  const [n, w] = rows;
  const line = (what, f, goal = '') => console.log(`  ${what.padEnd(50)} ${f(n).padStart(10)} ${f(w).padStart(10)}  ${goal}`);
  console.log('esp32sim benchmark (' + os.cpus().length + ' cores, Node ' + process.versions.node + ')');
  console.log(`  ${''.padEnd(50)} ${'native'.padStart(10)} ${'wasm'.padStart(10)}`);
  line('process start to REPL prompt (median of 5)', (r) => `${r.boot.toFixed(0)} ms`, 'goal: native <= 100 ms');
  line('a further board in a running simulator (median)', (r) => `${r.further.startMs.toFixed(0)} ms`, 'goal: native <= 20 ms');
  line('bridge TCP call (send or recv, 1 byte, mean)', (r) => `${(r.perCall / 1000).toFixed(3)} ms`, 'goal: <= 0.5 ms');
  line('memory per board as a process (RSS)', (r) => `${(r.rss / 1024).toFixed(1)} MiB`);
  line('memory per further board (10 in one process)', (r) => `${(r.further.kib / 1024).toFixed(1)} MiB`, 'goal: native <= 4 MB');
  line('CPU: 300,000 loop rounds of arithmetic', (r) => `${r.cpu} ms`);
  line('firmware echo, 64-byte text, a log line per message', (r) => `${r.echo.logged} /s`, '(the log lines cost 115200-baud console time)');
  line('firmware echo, 64-byte text, LOG_MESSAGES = False', (r) => `${r.echo.quiet} /s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
