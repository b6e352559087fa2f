'use strict';
// Feeds serial input to MicroPython's event-driven REPL, adding what the WebAssembly port lacks and
// an ESP32 has: raw-paste mode (flow-controlled, 128-byte window increments), Enter on a bare '\n'
// in the friendly REPL, and knowing which REPL mode a soft reset came from.
const RAW_BANNER = 'raw REPL; CTRL-B to exit\r\n>';
const WINDOW = 128;

class ReplDriver {
  constructor(mp, out, bridge, rawMode, measureHeap) {
    this.mp = mp;
    this.measureHeap = measureHeap;
    this.ran = false; // a statement ran since the heap was last measured
    this.out = out;
    this.bridge = bridge;
    this.raw = rawMode;
    this.rawLineEmpty = true;
    this.held = []; // bytes of a possible raw-paste request (\x05 A \x01)
    this.paste = null; // raw-paste state once the request was accepted
    this.prevInput = 0;
  }

  start() {
    if (this.raw) {
      // After a soft reset from the raw REPL a board comes back straight into it.
      this.out.muted = true;
      this.mp.replInit();
      this.mp.replProcessChar(1);
      this.out.flush();
      this.out.muted = false;
      this.out.write(RAW_BANNER);
    } else {
      // The event-driven REPL starts with a Ctrl-B's "\r\n"; an ESP32's friendly REPL starts with
      // its banner (MP shared/runtime/pyexec.c friendly_repl_reset).
      this.out.skip = 2;
      this.mp.replInit();
    }
    this.out.flush();
  }

  // Processes serial input until the REPL asks for a soft reset.
  run() {
    for (;;) {
      if (this.ran && !this.paste) {
        this.ran = false;
        this.measureHeap();
      }
      const answer = JSON.parse(this.bridge.call('repl_read', []).json);
      const bytes = Buffer.from(answer.r, 'base64');
      for (const b of bytes) {
        if (this.accept(b)) return { rawMode: this.raw };
      }
    }
  }

  // Returns true when this byte asked for a soft reset.
  accept(b) {
    if (this.paste) return this.pasteByte(b);
    if (this.raw && (this.held.length > 0 || (b === 5 && this.rawLineEmpty))) return this.rawPasteRequest(b);
    if (!this.raw && b === 10) {
      const afterCr = this.prevInput === 13;
      this.prevInput = b;
      if (afterCr) return false;
      b = 13;
    }
    this.prevInput = b;
    return this.feed(b);
  }

  feed(b) {
    const wasRaw = this.raw;
    if (b === 13 || b === 4) this.ran = true;
    const result = this.mp.replProcessChar(b);
    this.out.flush();
    if (wasRaw) {
      if (b === 2) this.raw = false;
      this.rawLineEmpty = b === 1 || b === 3 || b === 4;
    } else if (this.out.tail.endsWith(RAW_BANNER)) {
      this.raw = true;
      this.rawLineEmpty = true;
    }
    return result !== 0;
  }

  rawPasteRequest(b) {
    this.held.push(b);
    if (this.held.length < 3) return false;
    const [, command, last] = this.held;
    this.held = [];
    if (command === 0x41 && last === 1) {
      this.paste = { code: [], sinceGrant: 0 };
      this.out.push(Buffer.from([0x52, 0x01, WINDOW & 0xff, WINDOW >> 8, 0x01]));
    } else {
      this.out.push(Buffer.from('R\x00', 'latin1'));
    }
    this.out.flush();
    return false;
  }

  pasteByte(b) {
    const paste = this.paste;
    if (b === 3) {
      this.paste = null;
      this.out.push(Buffer.from([4]));
      this.out.flush();
      return false;
    }
    if (b !== 4) {
      paste.code.push(b);
      if (++paste.sinceGrant === WINDOW) {
        paste.sinceGrant = 0;
        this.out.push(Buffer.from([1]));
        this.out.flush();
      }
      return false;
    }
    // End of data: acknowledge, then run it as a raw-REPL exec whose "OK" the raw-paste protocol omits.
    this.paste = null;
    this.out.push(Buffer.from([4]));
    this.out.flush();
    for (const c of paste.code) this.mp.replProcessChar(c);
    this.out.skip = 2;
    return this.feed(4);
  }
}

module.exports = { ReplDriver };
