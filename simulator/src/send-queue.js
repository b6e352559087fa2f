'use strict';
// How many bytes a host TCP socket holds that its peer has not acknowledged yet: Linux shows it as
// tx_queue in /proc/net/tcp. The board model counts these against lwIP's send buffer, so a peer
// that stops reading stalls the board once the peer's own receive buffer and the board's 5,760
// bytes are full, as on a board, rather than after the megabytes a host kernel would queue.
const fs = require('node:fs');

const TABLE = '/proc/net/tcp';
const available = (() => {
  try {
    fs.accessSync(TABLE, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
})();

// 127.0.0.1:8080 as the table writes it: the address as a little-endian word, the port big-endian.
function key(address, port) {
  const bytes = address.split('.').map(Number);
  const word = bytes.reverse().map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${word}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
}

// Unacknowledged bytes of the connection sock (a net.Socket), 0 when the table cannot tell.
function unacknowledged(sock) {
  if (!available || !sock.localAddress || !sock.remoteAddress || sock.localAddress.includes(':')) return 0;
  const local = key(sock.localAddress, sock.localPort);
  const remote = key(sock.remoteAddress, sock.remotePort);
  let text;
  try {
    text = fs.readFileSync(TABLE, 'latin1');
  } catch {
    return 0;
  }
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[2] === remote) return parseInt(f[4].split(':')[0], 16);
  }
  return 0;
}

module.exports = { unacknowledged };
