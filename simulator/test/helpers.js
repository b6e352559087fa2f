'use strict';
// Test helpers: a simulator process with a console whose output can be awaited by pattern.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');

const BIN = path.join(__dirname, '..', 'bin', 'esp32sim');

function tempDir(prefix = 'esp32sim-test-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

class Sim {
  constructor(args, { env } = {}) {
    this.proc = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: env || process.env });
    this.out = '';
    this.err = '';
    this.cursor = 0;
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
    this.proc.stdout.on('data', (d) => {
      this.out += d.toString('latin1');
      this.proc.emit('progress');
    });
    this.proc.stderr.on('data', (d) => {
      this.err += d.toString('utf8');
      this.proc.emit('progress');
    });
  }

  write(text) {
    this.proc.stdin.write(Buffer.from(text, 'latin1'));
  }

  // Waits for pattern in console output after the cursor; consumes up to the end of the match.
  expect(pattern, timeoutMs = 10000, stream = 'out') {
    return new Promise((resolve, reject) => {
      const check = () => {
        const text = stream === 'out' ? this.out : this.err;
        const from = stream === 'out' ? this.cursor : 0;
        const hay = text.slice(from);
        const m = typeof pattern === 'string' ? (hay.includes(pattern) ? { index: hay.indexOf(pattern), 0: pattern } : null) : hay.match(pattern);
        if (!m) return false;
        if (stream === 'out') this.cursor = from + m.index + m[0].length;
        done();
        resolve(m);
        return true;
      };
      const timer = setTimeout(() => {
        done();
        const tail = (stream === 'out' ? this.out.slice(this.cursor) : this.err).slice(-600);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} on ${stream}; tail: ${JSON.stringify(tail)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.proc.off('progress', check);
        this.proc.off('exit', check);
      };
      if (check()) return;
      this.proc.on('progress', check);
      this.proc.on('exit', check);
    });
  }

  async controlPort() {
    const m = await this.expect(/control port (\d+)/, 10000, 'err');
    return Number(m[1]);
  }

  kill() {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    return this.exited;
  }
}

// A JSON-lines client for the control channel.
class Control {
  static connect(port) {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1', () => resolve(new Control(sock)));
      sock.on('error', reject);
    });
  }

  constructor(sock) {
    this.sock = sock;
    this.lines = [];
    this.waiters = [];
    let pending = '';
    sock.on('data', (d) => {
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        this.lines.push(JSON.parse(pending.slice(0, nl)));
        pending = pending.slice(nl + 1);
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.nextId = 1;
  }

  waitFor(pred, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`control: nothing matched in ${timeoutMs} ms; saw ${JSON.stringify(this.lines.slice(-5))}`)), timeoutMs);
      const check = () => {
        const i = this.lines.findIndex(pred);
        if (i >= 0) {
          clearTimeout(timer);
          resolve(this.lines.splice(i, 1)[0]);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  async send(cmd) {
    const id = this.nextId++;
    this.sock.write(JSON.stringify({ id, ...cmd }) + '\n');
    return this.waitFor((l) => l.id === id);
  }

  sendRaw(line) {
    this.sock.write(line + '\n');
  }

  close() {
    this.sock.destroy();
  }
}

// Runs code in the raw REPL and returns [stdout, stderr] (the board must be at the friendly REPL).
async function rawExec(sim, code, timeoutMs = 10000) {
  sim.write('\r\x01');
  await sim.expect('raw REPL; CTRL-B to exit\r\n>', timeoutMs);
  sim.write(code + '\x04');
  await sim.expect('OK', timeoutMs);
  const m = await sim.expect(/([\s\S]*?)\x04([\s\S]*?)\x04>/, timeoutMs);
  sim.write('\x02');
  await sim.expect('>>> ', timeoutMs);
  return [m[1], m[2]];
}

module.exports = { Sim, Control, tempDir, rawExec, BIN };
