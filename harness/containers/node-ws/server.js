#!/usr/bin/env node
// A WebSocket server on the `ws` package, for the interop matrix: a peer implementation next to
// the harness's Java server and the firmware's Python test server. It echoes every message, answers
// pings (ws does), logs each event on one line, and takes the Python test server's console commands
// (/close CODE REASON, /drop, /ping DATA, any other text is sent) from TCP connections to the control port.
//
//   node server.js --port 8080 --control-port 9000 [--path /ws] [--interval 0]
'use strict';
const net = require('node:net');
const { WebSocketServer } = require('ws');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const port = Number(option('--port', '8080'));
const controlPort = Number(option('--control-port', '9000'));
const path = option('--path', '');
const interval = Number(option('--interval', '0'));

function log(...parts) {
  const now = new Date();
  console.log('[node-ws]', now.toISOString().slice(11, 23), ...parts);
}

const wss = new WebSocketServer({ port, path: path || undefined, maxPayload: 1 << 20 });
const clients = new Map();
let count = 0;

wss.on('connection', (ws, req) => {
  const id = ++count;
  const sock = req.socket;
  clients.set(id, ws);
  ws.closingByServer = false;
  const shown = req.url.split('?')[0] + (req.url.includes('?') ? '?<redacted>' : '');
  log(`#${id}`, 'open', `${sock.remoteAddress}:${sock.remotePort}`, `path=${shown}`, `protocol=${ws.protocol || '-'}`);
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      log(`#${id}`, 'binary', `size=${data.length}`);
    } else {
      log(`#${id}`, 'text', `size=${data.length}`, JSON.stringify(data.toString('utf8').slice(0, 200)));
    }
    ws.send(data, { binary: isBinary });
  });
  ws.on('ping', (data) => log(`#${id}`, 'ping', `size=${data.length}`));
  ws.on('pong', (data) => log(`#${id}`, 'pong', `size=${data.length}`));
  ws.on('close', (code, reason) => {
    clients.delete(id);
    const by = ws.closingByServer ? 'server' : code === 1006 ? 'network' : 'client';
    log(`#${id}`, 'close', `code=${code}`, `reason=${JSON.stringify(reason.toString('utf8'))}`, `by=${by}`);
  });
  ws.on('error', (err) => log(`#${id}`, 'error', JSON.stringify(err.message)));
});

wss.on('listening', () => log(`listening on ws://0.0.0.0:${port}${path || '/'} (echo on)`));

function command(line) {
  const words = line.split(' ');
  const targets = [...clients.entries()];
  if (words[0] === '/close') {
    const code = Number(words[1] || 1000);
    const reason = words.slice(2).join(' ');
    for (const [id, ws] of targets) {
      log(`#${id}`, 'closing', `code=${code}`);
      ws.closingByServer = true;
      ws.close(code, reason);
    }
  } else if (line === '/drop') {
    for (const [id, ws] of targets) {
      log(`#${id}`, 'drop');
      ws.closingByServer = true;
      ws.terminate(); // no close frame; the socket is destroyed
    }
  } else if (words[0] === '/ping') {
    for (const [, ws] of targets) ws.ping(line.slice(6));
  } else if (line.startsWith('/')) {
    log('unknown command', line, '(try /close /drop /ping)');
  } else if (line) {
    for (const [, ws] of targets) ws.send(line);
  }
}

net.createServer((conn) => {
  let buffered = '';
  conn.on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      command(buffered.slice(0, nl).replace(/\r$/, ''));
      buffered = buffered.slice(nl + 1);
    }
  });
  conn.on('error', () => {});
}).listen(controlPort, () => log(`commands on tcp port ${controlPort}`));

if (interval > 0) {
  let seq = 0;
  setInterval(() => {
    seq += 1;
    for (const [, ws] of clients) ws.send(JSON.stringify({ type: 'test', seq, time: Date.now() / 1000 }));
  }, interval * 1000);
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    log('stopping on', signal);
    for (const [, ws] of clients) ws.close(1001, 'server shutting down');
    setTimeout(() => process.exit(0), 200);
  });
}
