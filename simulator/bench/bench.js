'use strict';
// Prints the simulator's figures: boot time to the REPL prompt, bridge TCP round trip, and memory
// per board (as a process, and as a worker thread of a shared process). Run: npm run bench
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { Board } = require('../src/board');

const BIN = path.join(__dirname, '..', 'bin', 'esp32sim');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'esp32sim-bench-'));
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

function bootOnce() {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, '--flash', tmp()], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.endsWith('>>> ')) {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const rss = rssKiB(child.pid);
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

async function roundTrip(rounds) {
  const server = net.createServer((s) => s.on('error', () => {}).pipe(s));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const child = spawn(process.execPath, [BIN, '--flash', tmp(), '--wifi', 'b:pw', '--join-ms', '10'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((resolve) => {
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

async function workersPerBoard(count) {
  const before = process.memoryUsage().rss;
  const boards = [];
  for (let i = 0; i < count; i++) {
    const board = new Board({ flashDir: tmp() });
    board.start('power');
    boards.push(board);
  }
  await Promise.all(boards.map((b) => b.whenIdle()));
  const after = process.memoryUsage().rss;
  await Promise.all(boards.map((b) => b.shutdown()));
  return (after - before) / count / 1024;
}

async function main() {
  const boots = [];
  for (let i = 0; i < 5; i++) boots.push(await bootOnce());
  const rounds = 2000;
  const perCall = await roundTrip(rounds);
  const workers = 20;
  const perWorker = await workersPerBoard(workers);
  console.log('esp32sim benchmark (' + os.cpus().length + ' cores, Node ' + process.versions.node + ')');
  console.log(`  process start to REPL prompt: median ${median(boots.map((b) => b.ms)).toFixed(0)} ms over ${boots.length} runs (goal <= 300 ms)`);
  console.log(`  bridge TCP call (send or recv, 1 byte): ${(perCall / 1000).toFixed(3)} ms mean over ${rounds * 2} calls (goal <= 0.5 ms)`);
  console.log(`  memory per board as a process: ${(median(boots.map((b) => b.rss)) / 1024).toFixed(1)} MiB RSS`);
  console.log(`  memory per board as a worker thread: ${(perWorker / 1024).toFixed(1)} MiB RSS (${workers} boards in one process)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
