'use strict';
// The TCP/IP stack of one board: real sockets (net, tls) owned by the host thread, with the
// blocking semantics, timeouts and errno values of lwIP under MicroPython on an ESP32. While the
// Wi-Fi link is down nothing moves: while the station still counts itself associated, open connections
// stall (data waits on both sides until the link returns, as TCP retransmits it) and a new connection
// waits for its SYN to get through (or times out); once the station drops the association every TCP
// connection is aborted (ECONNABORTED) and a new one fails with EHOSTUNREACH.
const net = require('node:net');
const tls = require('node:tls');
const dns = require('node:dns');
const dgram = require('node:dgram');
const { EventEmitter } = require('node:events');
const { Duplex } = require('node:stream');
const { BoardError, ERRNO, TLS, verifyFailed } = require('./errors');
const { unacknowledged } = require('./send-queue');

const HIGH_WATER = 256 * 1024;
const CONNECT_TIMEOUT_MS = 20000; // lwIP gives up on a silent SYN after about this long
const SEND_BUFFER = 5760; // lwIP's TCP_SND_BUF: ESP-IDF's CONFIG_LWIP_TCP_SND_BUF_DEFAULT
const SPACE_POLL_MS = 5; // acknowledgements raise no event: a writer waiting for room looks this often
const UDP_QUEUE = 6; // datagrams a socket holds unread: ESP-IDF's CONFIG_LWIP_UDP_RECVMBOX_SIZE

class Aborted extends Error {}

class SimSocket extends EventEmitter {
  constructor(id) {
    super();
    this.id = id;
    this.sock = null;
    this.chunks = [];
    this.buffered = 0;
    this.eof = false;
    this.error = null;
    this.held = []; // writes made while the link was down
    this.heldBytes = 0;
    this.sent = 0; // bytes the board has written, all told
    this.outstanding = 0; // bytes not yet acknowledged when last measured, and this.sent then
    this.sentAtMeasure = 0;
    this.tcp = null; // the TCP connection under TLS, or the same socket as sock
    this.remote = '';
  }

  attach(sock) {
    this.sock = sock;
    sock.on('data', (d) => {
      this.chunks.push(d);
      this.buffered += d.length;
      if (this.buffered > HIGH_WATER) sock.pause();
      this.emit('change');
    });
    sock.on('end', () => {
      this.eof = true;
      this.emit('change');
    });
    sock.on('error', (err) => {
      if (!this.error) this.error = err.code === 'ECONNRESET' || err.code === 'EPIPE' ? ERRNO.ECONNRESET : ERRNO.ECONNABORTED;
      this.emit('change');
    });
    sock.on('close', () => {
      this.eof = true;
      this.emit('change');
    });
  }

  take(n) {
    const all = Buffer.concat(this.chunks);
    const count = n < 0 ? all.length : Math.min(n, all.length);
    const rest = all.subarray(count);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    if (this.sock && this.buffered < HIGH_WATER) this.sock.resume();
    return all.subarray(0, count);
  }
}

class NetStack {
  constructor({ wifi, onEvent, boardTime = Date.now }) {
    this.wifi = wifi;
    this.onEvent = onEvent;
    this.boardTime = boardTime; // Unix milliseconds on the board's clock: mbedTLS checks certificate dates against it
    this.sockets = new Map();
    this.nextId = 3; // as on a board, fds 0-2 are taken
    this.orphans = new Set(); // peers' ends of connections the board aborted while off the network
  }

  get linkUp() {
    return this.wifi.linkUp;
  }

  get(id) {
    const s = this.sockets.get(id);
    if (!s) throw new BoardError(ERRNO.EBADF);
    return s;
  }

  async dns(host) {
    // An IP literal needs no DNS: lwIP's getaddrinfo parses it, even with the link down.
    if (net.isIPv4(host)) return host;
    if (!this.linkUp) throw new BoardError(-202);
    try {
      const { address } = await dns.promises.lookup(host, { family: 4 });
      return address;
    } catch {
      throw new BoardError(-202); // what getaddrinfo raises on an ESP32 when a name does not resolve
    }
  }

  open(udp = false) {
    const id = this.nextId++;
    const s = new SimSocket(id);
    if (udp) s.datagrams = [];
    this.sockets.set(id, s);
    return id;
  }

  // UDP: a datagram goes out only while the link is up (lwIP has no route otherwise); what arrives
  // while it is down is lost, and a socket holds a few datagrams unread, dropping the rest.
  sendto(id, data, host, port) {
    const s = this.get(id);
    if (!s.datagrams) throw new BoardError(ERRNO.EOPNOTSUPP);
    if (!this.linkUp) throw new BoardError(ERRNO.EHOSTUNREACH);
    if (!s.udp) {
      s.udp = dgram.createSocket('udp4');
      s.udp.on('error', () => {});
      s.udp.on('message', (msg, rinfo) => {
        if (!this.linkUp || s.datagrams.length >= UDP_QUEUE) return;
        s.datagrams.push([msg, [rinfo.address, rinfo.port]]);
        s.emit('change');
      });
    }
    s.udp.send(data, port, host);
    return data.length;
  }

  async recvfrom(id, n, ms, signal) {
    const s = this.get(id);
    if (!s.datagrams) throw new BoardError(ERRNO.EOPNOTSUPP);
    const deadline = ms < 0 ? -1 : Date.now() + ms;
    for (;;) {
      const next = s.datagrams.shift();
      if (next) {
        s.from = next[1];
        return next[0].subarray(0, n);
      }
      if (ms === 0) throw new BoardError(ERRNO.EAGAIN);
      const left = deadline < 0 ? -1 : deadline - Date.now();
      if (deadline >= 0 && left <= 0) throw new BoardError(ERRNO.ETIMEDOUT);
      await this.waitAny([s], left, signal);
    }
  }

  async connect(id, host, port, ms, signal) {
    const s = this.get(id);
    if (!this.wifi.connected) throw new BoardError(ERRNO.EHOSTUNREACH);
    if (ms === 0) throw new BoardError(ERRNO.EINPROGRESS); // non-blocking connect is not modelled
    const limit = ms < 0 ? CONNECT_TIMEOUT_MS : ms;
    const started = Date.now();
    while (!this.linkUp) {
      // Associated but out of the access point's reach: the SYN is retransmitted until it gets through.
      const left = limit - (Date.now() - started);
      if (left <= 0) throw new BoardError(ERRNO.ETIMEDOUT);
      await this.waitAny([s], left, signal);
    }
    const sock = net.connect({ host, port });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new BoardError(ERRNO.ETIMEDOUT)), Math.max(0, limit - (Date.now() - started)));
      const onAbort = () => finish(new Aborted());
      const finish = (err) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        sock.off('connect', onConnect);
        sock.off('error', onError);
        if (err) {
          sock.destroy();
          reject(err);
        } else resolve();
      };
      const onConnect = () => finish(null);
      // lwIP answers a refusing SYN's RST with ERR_RST, which the port reports as ECONNRESET (104), not
      // ECONNREFUSED (MP ports/esp32/modsocket.c connect via SO_ERROR; micropython/micropython#5788).
      const onError = (e) =>
        finish(new BoardError(e.code === 'ECONNREFUSED' ? ERRNO.ECONNRESET : ERRNO.EHOSTUNREACH));
      sock.once('connect', onConnect);
      sock.once('error', onError);
      signal.addEventListener('abort', onAbort);
    });
    sock.setNoDelay(true);
    s.tcp = sock;
    s.remote = `${host}:${port}`;
    s.attach(sock);
    this.onEvent({ event: 'socket', action: 'open', id, remote: s.remote });
  }

  // Room left in the board's send buffer: what it wrote that the peer has not acknowledged counts.
  // Reading the kernel's figure costs about a millisecond, so it is read only when what was written
  // since the last reading could have filled the buffer.
  sendSpace(s) {
    const bound = s.outstanding + (s.sent - s.sentAtMeasure);
    if (bound < SEND_BUFFER) return SEND_BUFFER - bound;
    let queued = s.heldBytes + s.sock.writableLength + unacknowledged(s.tcp);
    if (s.tcp !== s.sock) queued += s.tcp.writableLength;
    s.outstanding = queued;
    s.sentAtMeasure = s.sent;
    return Math.max(0, SEND_BUFFER - queued);
  }

  // As the port writes (MP ports/esp32/modsocket.c _socket_send, socket_stream_write; py/stream.c):
  // as much as fits, waiting for room until the timeout. kind 'send' returns what went out (OSError
  // if nothing did), 'sendall' must send everything, 'write' (a stream write) raises ETIMEDOUT on a
  // timeout even after part went out. Non-blocking: what fitted, or EAGAIN when nothing did.
  async send(id, data, ms, signal, kind = 'send') {
    const s = this.get(id);
    const deadline = ms < 0 ? -1 : Date.now() + ms;
    let sent = 0;
    for (;;) {
      if (s.error) throw new BoardError(s.error);
      if (!s.sock) throw new BoardError(ERRNO.ENOTCONN);
      if (s.eof && s.sock.destroyed) throw new BoardError(ERRNO.ECONNRESET);
      const room = this.sendSpace(s);
      if (room > 0) {
        const chunk = data.subarray(sent, sent + room);
        if (this.linkUp) s.sock.write(chunk);
        else {
          s.held.push(chunk);
          s.heldBytes += chunk.length;
        }
        sent += chunk.length;
        s.sent += chunk.length;
        if (sent === data.length) return sent;
      }
      if (ms === 0) {
        if (sent === 0) throw new BoardError(ERRNO.EAGAIN);
        if (kind === 'sendall') throw new BoardError(ERRNO.ETIMEDOUT);
        return sent;
      }
      const left = deadline < 0 ? SPACE_POLL_MS : deadline - Date.now();
      if (left <= 0) {
        if (kind === 'send' && sent > 0) return sent;
        throw new BoardError(ERRNO.ETIMEDOUT);
      }
      await this.waitAny([s], Math.min(left, SPACE_POLL_MS), signal);
    }
  }

  async recv(id, n, ms, signal) {
    const s = this.get(id);
    if (s.datagrams) return this.recvfrom(id, n, ms, signal);
    const deadline = ms < 0 ? -1 : Date.now() + ms;
    for (;;) {
      if (this.linkUp || s.orphaned) {
        if (s.buffered > 0 && (n >= 0 || s.eof)) return s.take(n);
        if (s.error) throw new BoardError(s.error);
        if (s.eof) return s.take(-1);
        if (!s.sock) throw new BoardError(ERRNO.ENOTCONN);
      }
      if (ms === 0) throw new BoardError(ERRNO.EAGAIN);
      const left = deadline < 0 ? -1 : deadline - Date.now();
      if (deadline >= 0 && left <= 0) throw new BoardError(ERRNO.ETIMEDOUT);
      await this.waitAny([s], left, signal);
    }
  }

  async readline(id, ms, signal) {
    const s = this.get(id);
    const deadline = ms < 0 ? -1 : Date.now() + ms;
    for (;;) {
      if (this.linkUp || s.orphaned) {
        const all = Buffer.concat(s.chunks);
        const nl = all.indexOf(10);
        if (nl >= 0) return s.take(nl + 1);
        if (s.eof || s.error) return s.take(-1);
      }
      if (ms === 0) throw new BoardError(ERRNO.EAGAIN);
      const left = deadline < 0 ? -1 : deadline - Date.now();
      if (deadline >= 0 && left <= 0) throw new BoardError(ERRNO.ETIMEDOUT);
      await this.waitAny([s], left, signal);
    }
  }

  // What select.poll reports for a socket right now: POLLIN 1, POLLOUT 4, POLLERR 8, POLLHUP 16.
  readiness(id, mask) {
    const s = this.sockets.get(id);
    if (!s) return 32; // POLLNVAL: the socket was closed
    let ev = 0;
    if (this.linkUp || s.orphaned) {
      if (mask & 1 && (s.buffered > 0 || s.eof || s.error)) ev |= 1;
      if (s.error) ev |= 8;
      if (s.eof) ev |= 16;
    }
    if (mask & 4 && s.sock && !s.error && this.sendSpace(s) > 0) ev |= 4;
    return ev;
  }

  // select.poll over several sockets: [[id, revents], ...] for those ready, [] on timeout.
  async poll(entries, ms, signal) {
    const deadline = ms < 0 ? -1 : Date.now() + ms;
    for (;;) {
      const ready = [];
      for (const [id, mask] of entries) {
        const ev = this.readiness(id, mask);
        if (ev) ready.push([id, ev]);
      }
      const left = deadline < 0 ? -1 : deadline - Date.now();
      if (ready.length || (deadline >= 0 && left <= 0)) return ready;
      // room in a send buffer raises no event: a poll for POLLOUT looks again soon
      const wantsRoom = entries.some(([id, mask]) => mask & 4 && this.sockets.has(id));
      const wait = wantsRoom ? (left < 0 ? SPACE_POLL_MS : Math.min(left, SPACE_POLL_MS)) : left;
      await this.waitAny(entries.map(([id]) => this.sockets.get(id)).filter(Boolean), wait, signal);
    }
  }

  // Resolves when one of the sockets changes (a link change wakes them all) or after ms (< 0: never).
  waitAny(list, ms, signal) {
    return new Promise((resolve, reject) => {
      let timer = null;
      const done = () => {
        clearTimeout(timer);
        for (const s of list) s.off('change', done);
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        done();
        reject(new Aborted());
      };
      for (const s of list) s.on('change', done);
      signal.addEventListener('abort', onAbort);
      if (ms >= 0) timer = setTimeout(done, ms);
    });
  }

  close(id) {
    const s = this.sockets.get(id);
    if (!s) return;
    this.sockets.delete(id);
    if (s.udp) s.udp.close();
    if (s.sock && !s.orphaned) {
      // lwIP resets instead of closing when data is still unread, and answers data arriving after
      // close() with a reset too (lwIP tcp_close_shutdown; RFC 1122 section 4.2.2.13).
      let reset = () => {
        reset = () => {}; // once: more late data may follow in the same tick
        if (!s.tcp || s.tcp.destroyed) return;
        s.tcp.resetAndDestroy();
        this.onEvent({ event: 'socket', action: 'reset', id, remote: s.remote });
      };
      if (s.buffered > 0) reset();
      else {
        // mbedTLS frees the session without a close_notify (MP extmod/modtls_mbedtls.c): the TCP
        // connection just ends, under TLS too
        if (s.tcp !== s.sock) s.sock.destroy();
        s.tcp.removeAllListeners('data');
        s.tcp.on('data', () => reset());
        s.tcp.end();
        s.tcp.destroySoon();
      }
      this.onEvent({ event: 'socket', action: 'close', id, remote: s.remote, by: 'board' });
    }
  }

  async startTls(id, hostname, verifyMode, caHex, ms, signal) {
    const s = this.get(id);
    if (!s.sock) throw new BoardError(ERRNO.ENOTCONN);
    const verify = verifyMode === 2;
    if (verify && !caHex) throw new BoardError(TLS.CA_CHAIN_REQUIRED); // a board has no built-in trust store
    const raw = s.sock;
    raw.removeAllListeners('data');
    raw.removeAllListeners('end');
    raw.removeAllListeners('close');
    raw.removeAllListeners('error');
    // TLS runs over a stream fed from the TCP connection, with what arrived before the handshake first.
    const wire = new Duplex({
      read() {
        raw.resume();
      },
      write(chunk, encoding, callback) {
        raw.write(chunk, callback);
      },
    });
    const feed = (d) => {
      if (!wire.push(d)) raw.pause();
    };
    const leftover = s.take(-1);
    if (leftover.length) feed(leftover);
    raw.on('data', feed);
    raw.on('end', () => wire.push(null));
    raw.on('error', (e) => wire.destroy(e));
    const options = { socket: wire, rejectUnauthorized: verify, ca: caHex ? [toPem(caHex)] : undefined, maxVersion: 'TLSv1.2' };
    if (hostname && net.isIP(hostname) === 0) options.servername = hostname;
    else if (hostname) options.host = hostname; // no SNI for an address, but still check it against the certificate
    if (!verify) options.checkServerIdentity = () => undefined;
    const secure = tls.connect(options);
    await new Promise((resolve, reject) => {
      const limit = ms < 0 ? CONNECT_TIMEOUT_MS : ms;
      const timer = setTimeout(() => finish(new BoardError(ERRNO.ETIMEDOUT)), limit);
      const onAbort = () => finish(new Aborted());
      const finish = (err) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        secure.off('secureConnect', onSecure);
        secure.off('error', onError);
        if (err) {
          secure.destroy();
          reject(err);
        } else resolve();
      };
      // mbedTLS checks the certificate's dates against the board's clock, which reads 2000-01-01
      // after power-on until something sets it (MP ports/esp32/main.c; sdkconfig.base MBEDTLS_HAVE_TIME_DATE).
      const onSecure = () => finish(verify ? datesError(secure.getPeerCertificate(), this.boardTime()) : null);
      const onError = (e) => finish(verifyError(e) || new BoardError(TLS.FATAL_ALERT));
      secure.once('secureConnect', onSecure);
      secure.once('error', onError);
      signal.addEventListener('abort', onAbort);
    });
    s.eof = false;
    // The end of the connection reads as b'', with or without a close_notify: mbedtls_ssl_read
    // returns 0 for MBEDTLS_ERR_SSL_CONN_EOF as for the alert (mbedTLS library/ssl_msg.c).
    s.attach(secure);
  }

  peerCertificate(id) {
    const s = this.get(id);
    const cert = s.sock && typeof s.sock.getPeerCertificate === 'function' ? s.sock.getPeerCertificate() : null;
    if (!cert || !cert.raw) throw new BoardError(ERRNO.ENOTCONN);
    return cert.raw.toString('hex');
  }

  cipher(id) {
    const s = this.get(id);
    const c = s.sock && typeof s.sock.getCipher === 'function' ? s.sock.getCipher() : null;
    if (!c) throw new BoardError(ERRNO.ENOTCONN);
    return [c.standardName || c.name, c.version];
  }

  // Frames move again: what the board wrote meanwhile goes out, and waiting calls look again.
  linkRestored() {
    for (const tcp of this.orphans) tcp.answerLate();
    for (const s of this.sockets.values()) {
      for (const data of s.held) if (s.sock && !s.sock.destroyed) s.sock.write(data);
      s.held = [];
      s.heldBytes = 0;
      s.emit('change');
    }
  }

  // The station left the network (STA_DISCONNECTED): lwIP aborts every TCP connection bound to the
  // address it lost (ESP-IDF esp_netif_down sets 0.0.0.0; lwIP tcp_netif_ip_addr_changed -> tcp_abort).
  // Each socket then raises ECONNABORTED (lwIP err_to_errno(ERR_ABRT)); whether later calls keep
  // raising it is unverified. The reset tcp_abort sends cannot leave a station with no network, so
  // the peer learns of it only when it sends again once the board is back on the network: then the
  // board, which no longer knows the connection, answers with a reset.
  addressLost() {
    for (const s of this.sockets.values()) {
      if (!s.tcp || s.tcp.destroyed || s.orphaned) continue;
      s.orphaned = true;
      s.error = ERRNO.ECONNABORTED;
      s.held = [];
      s.heldBytes = 0;
      s.chunks = [];
      s.buffered = 0;
      this.orphan(s);
      this.onEvent({ event: 'socket', action: 'abort', id: s.id, remote: s.remote });
      s.emit('change');
    }
  }

  orphan(s) {
    const tcp = s.tcp;
    this.orphans.add(tcp);
    let pending = false;
    const reset = () => {
      if (tcp.destroyed) return;
      tcp.resetAndDestroy();
      this.orphans.delete(tcp);
      this.onEvent({ event: 'socket', action: 'reset', id: s.id, remote: s.remote });
    };
    const late = () => {
      if (this.linkUp) reset();
      else pending = true;
    };
    tcp.removeAllListeners('data');
    tcp.on('data', late);
    tcp.on('end', late); // a FIN is late data too
    tcp.once('close', () => this.orphans.delete(tcp));
    tcp.resume();
    tcp.answerLate = () => pending && reset();
  }

  // A soft reboot: the interpreter's sockets are finalised, each closed as close() would.
  closeAll() {
    for (const id of [...this.sockets.keys()]) this.close(id);
  }

  // The chip reset or powered off: peers see connections vanish (TCP reset, no FIN).
  resetAll(errno) {
    for (const tcp of this.orphans) tcp.resetAndDestroy();
    this.orphans.clear();
    for (const s of this.sockets.values()) {
      if (s.udp) s.udp.close();
      s.udp = null;
      if (s.tcp && !s.tcp.destroyed && !s.orphaned) {
        if (s.sock !== s.tcp) s.sock.destroy(); // TLS runs over a stream: the reset is the TCP connection's
        s.tcp.resetAndDestroy();
        this.onEvent({ event: 'socket', action: 'close', id: s.id, remote: s.remote, by: 'reset' });
      }
      s.error = errno;
      s.emit('change');
    }
  }

  shutdown() {
    this.resetAll(ERRNO.ECONNABORTED);
    this.sockets.clear();
  }
}

function datesError(cert, now) {
  if (!cert || !cert.valid_from) return null;
  if (now < Date.parse(cert.valid_from)) return verifyFailed('FUTURE');
  if (now > Date.parse(cert.valid_to)) return verifyFailed('EXPIRED');
  return null;
}

// What mbedTLS would have said about the certificate Node refused, or null for another failure.
function verifyError(e) {
  if (e.code === 'CERT_HAS_EXPIRED') return verifyFailed('EXPIRED');
  if (e.code === 'CERT_NOT_YET_VALID') return verifyFailed('FUTURE');
  if (e.code === 'ERR_TLS_CERT_ALTNAME_INVALID') return verifyFailed('CN_MISMATCH');
  if (/certificate|self.signed|verify|issuer/i.test(e.message) || /CERT|SIGNATURE|ISSUER/.test(e.code || '')) return verifyFailed('NOT_TRUSTED');
  return null;
}

function toPem(hex) {
  const der = Buffer.from(hex, 'hex');
  const text = der.toString('latin1');
  if (text.includes('-----BEGIN')) return text;
  const body = der.toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

module.exports = { NetStack, Aborted };
