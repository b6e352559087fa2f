'use strict';
// The board's console output, for either engine. MicroPython's print emits bare '\n'; a board's
// UART driver sends '\r\n'. Output is held per line so the banner can name the simulated machine
// instead of the interpreter's host, and frames of the board-support modules can be left out.
// The console UART: 8N1 at baud bits/s behind the ESP32's 128-byte TX FIFO. MicroPython's print
// blocks while the FIFO is full (MP ports/esp32/uart.c:84-100, mphalport.c:145-185), so output costs
// the firmware the time it takes on the wire; baud 0 leaves output free.
const { boardErrorLine } = require('./errors');

const fs = require('node:fs');
const path = require('node:path');

const UART_FIFO = 128;
// Traceback lines of the board-support modules: from /.board, or frozen into the native engine.
const BOARD_FRAMES = ['  File "/.board/', ...fs.readdirSync(path.join(__dirname, '..', 'board')).map((n) => `  File "${n}"`)];
const BANNER_MACHINE = 'Generic ESP32 module with ESP32';
const HOST_MACHINES = ['JS with Emscripten'];

class SerialOut {
  // emit(bytes): where output goes; block(ms): makes the writer wait (null: the caller asks owed()).
  constructor(baud, emit, block = null) {
    this.byteMs = baud > 0 ? 10000 / baud : 0;
    this.emit = emit;
    this.block = block;
    this.wireFreeAt = 0; // when the bytes written so far have left the UART
    this.buf = [];
    this.prev = 0;
    this.muted = false;
    this.skip = 0; // bytes to drop: the raw-paste protocol has no "OK" where the raw REPL prints one
    this.tail = ''; // the last output, to tell which REPL mode the board is in
  }

  push(bytes) {
    for (const b of bytes) {
      if (this.skip > 0) {
        this.skip--;
        continue;
      }
      const before = this.buf.length;
      if (b === 10 && this.prev !== 13) this.buf.push(13);
      this.buf.push(b);
      this.prev = b;
      const sent = this.buf.length - before;
      if (b === 10 || this.buf.length >= 512) this.flush();
      if (this.byteMs && !this.muted) this.pace(sent);
    }
  }

  pace(n) {
    const now = performance.now();
    this.wireFreeAt = Math.max(this.wireFreeAt, now) + n * this.byteMs;
    if (!this.block) return;
    const wait = this.owed(now);
    // (a line is sent whole, when it ends: the board-frame filter and banner rewrite work on lines)
    if (wait > 0) this.block(wait);
  }

  // Milliseconds the writer must still wait for the FIFO to take what it wrote.
  owed(now = performance.now()) {
    return Math.max(0, this.wireFreeAt - now - UART_FIFO * this.byteMs);
  }

  write(text) {
    this.push(Buffer.from(text, 'latin1'));
  }

  flush() {
    if (this.buf.length === 0) return;
    let bytes = Buffer.from(this.buf);
    this.buf = [];
    if (this.muted) return;
    // Board-support frames would not appear on a real board, where these modules are built in.
    if (bytes.includes('  File "')) {
      const lines = bytes.toString('latin1').split('\r\n');
      bytes = Buffer.from(lines.filter((l) => !BOARD_FRAMES.some((f) => l.startsWith(f))).join('\r\n'), 'latin1');
    }
    if (bytes.includes('OSError: ')) {
      bytes = Buffer.from(bytes.toString('latin1').split('\n').map(boardErrorLine).join('\n'), 'latin1');
    }
    for (const host of HOST_MACHINES) {
      if (bytes.includes(host)) bytes = Buffer.from(bytes.toString('latin1').replace(host, BANNER_MACHINE), 'latin1');
    }
    this.tail = (this.tail + bytes.toString('latin1')).slice(-64);
    this.emit(bytes);
  }
}

module.exports = { SerialOut };
