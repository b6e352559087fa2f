'use strict';
// The board's flash is a host directory. MicroPython sees an in-memory file system; this copies the
// directory in at boot and writes every change back at once (on close, unlink, rename, mkdir,
// rmdir), so files survive resets and restarts the way they survive on flash.
const fs = require('node:fs');
const path = require('node:path');

// Emscripten's own directories and the board modules: present in memory, never part of flash.
const SYSTEM = new Set(['tmp', 'home', 'dev', 'proc', '.board']);

class FlashMirror {
  constructor(FS, hostDir) {
    this.FS = FS;
    this.hostDir = path.resolve(hostDir);
  }

  hostPath(p) {
    const norm = path.posix.normalize(p);
    const top = norm.split('/')[1];
    if (!top || SYSTEM.has(top)) return null;
    return path.join(this.hostDir, ...norm.split('/').filter(Boolean));
  }

  load() {
    fs.mkdirSync(this.hostDir, { recursive: true });
    this.copyIn(this.hostDir, '');
    this.hook();
  }

  copyIn(hostDir, memDir) {
    for (const entry of fs.readdirSync(hostDir, { withFileTypes: true })) {
      if (SYSTEM.has(entry.name) && memDir === '') continue;
      const mem = memDir + '/' + entry.name;
      const host = path.join(hostDir, entry.name);
      if (entry.isDirectory()) {
        this.FS.mkdir(mem);
        this.copyIn(host, mem);
      } else if (entry.isFile()) {
        this.FS.writeFile(mem, fs.readFileSync(host));
      }
    }
  }

  hook() {
    const FS = this.FS;
    const wrap = (name, after) => {
      const orig = FS[name].bind(FS);
      FS[name] = (...args) => {
        const result = orig(...args);
        after(...args);
        return result;
      };
    };
    wrap('close', (stream) => {
      // O_WRONLY | O_RDWR: only streams that could have written are copied back.
      if ((stream.flags & 3) === 0 || !stream.path) return;
      const host = this.hostPath(stream.path);
      if (host && FS.isFile(FS.stat(stream.path).mode)) fs.writeFileSync(host, FS.readFile(stream.path));
    });
    wrap('unlink', (p) => this.onHost(p, (h) => fs.rmSync(h, { force: true })));
    wrap('rmdir', (p) => this.onHost(p, (h) => fs.rmSync(h, { recursive: true, force: true })));
    wrap('mkdir', (p) => this.onHost(p, (h) => fs.mkdirSync(h, { recursive: true })));
    wrap('rename', (from, to) => {
      const a = this.hostPath(from);
      const b = this.hostPath(to);
      if (a && b && fs.existsSync(a)) fs.renameSync(a, b);
    });
    // A real board's root lists only what is on flash.
    const readdir = FS.readdir.bind(FS);
    FS.readdir = (p) => {
      const names = readdir(p);
      return path.posix.normalize(p) === '/' ? names.filter((n) => !SYSTEM.has(n)) : names;
    };
  }

  onHost(p, fn) {
    const host = this.hostPath(p);
    if (host) fn(host);
  }
}

module.exports = { FlashMirror };
