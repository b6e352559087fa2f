#!/usr/bin/env bash
# Provides the native engine's interpreter and prints its path on stdout: MicroPython's Unix port,
# the same interpreter, garbage collector and allocator as the ESP32 port, built for a 32-bit CPU
# (i386) so that its pointers, object headers, small ints and GC blocks are an ESP32's size, with
# mbedTLS 3.6 as ESP-IDF 5 has it (TLS 1.3 off, as ESP-IDF leaves it). It is a static program that
# qemu-i386 runs on a 64-bit host (src/native-engine.js).
#
#   1. a build cached in simulator/build/native (never in git) is used while its inputs are unchanged;
#   2. else Debian's `micropython` and `mbedtls` source packages are fetched with apt-get into a
#      private apt state (the system's apt configuration is read, never changed: the registry's
#      address comes from it), and both are built there with Debian's i686 cross compiler;
#   3. else, when that cannot be done, a `micropython` 1.24 or newer on the PATH is used: a host
#      build, whose heap on a 64-bit host is only an approximation of a board's (README.md).
#
# Exit 3 with one line on stderr when none of these works (e.g. no compiler and not root).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${HIL_NATIVE_DIR:-$HERE/../build/native}"
mkdir -p "$OUT" && OUT="$(cd "$OUT" && pwd)"
SUITE=trixie # the first Debian suite with a MicroPython of 1.24 or newer (1.25.0), and mbedTLS 3.6
say() { echo "esp32sim: $*" >&2; }

version_ok() { # "MicroPython v1.25.0 ..." -> at least 1.24
  local v; v="$("${@}" -c 'import sys; print("%d.%d" % sys.implementation.version[:2])' 2>/dev/null)" || return 1
  [ "$(printf '%s\n1.24\n' "$v" | sort -V | head -1)" = "1.24" ]
}

# When the build cannot be had: a micropython on the PATH, else the reason, kept so that a
# simulator that would only prefer the native engine does not try again at every start
# (src/native-engine.js); this script always tries.
fail() {
  rm -f "$OUT/path-binary"
  if command -v micropython >/dev/null 2>&1 && [ -z "${HIL_NATIVE_NO_PATH:-}" ]; then
    local found; found="$(command -v micropython)"
    if version_ok "$found"; then
      say "using $found from the PATH (a host build: its heap is approximate on a 64-bit host): $*"
      echo "$found" >"$OUT/path-binary"
      rm -f "$OUT/unavailable"
      echo "$found"; exit 0
    fi
    say "ignoring $found: older than MicroPython 1.24"
  fi
  say "$*"; echo "$*" >"$OUT/unavailable"; exit 3
}
runs() { command -v qemu-i386 >/dev/null 2>&1 && version_ok qemu-i386 "$1"; }

# The board-support modules are frozen into the binary, as a board's are into its flash: their code
# then costs no heap. A change to them, or to our C module, is a rebuild (an incremental one).
BOARD_DIR="$(cd "$HERE/../board" && pwd)"
FROZEN=(_board.py _binascii.py _console.py _errno.py _gc.py _hashlib.py _link_native.py _os.py _repl.py _select.py _sys.py _time.py
  _native_boot.py machine.py network.py ntptime.py socket.py ssl.py)
CMODULES="$HERE/cmodules"
STAMP="unix-port i386 mbedtls-3.6-tls12 module-const-0 split-heap $( (cd "$BOARD_DIR" && cat "${FROZEN[@]}"; cat "$CMODULES"/*/*) | sha256sum | cut -c1-16)"
if [ -x "$OUT/micropython" ] && [ -x "$OUT/mpy-cross" ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$STAMP" ] && runs "$OUT/micropython"; then
  touch "$OUT/micropython" # newer than the frozen modules now, for the quick checks of mtimes
  echo "$OUT/micropython"; exit 0
fi

exec 9>"$OUT/.lock"
flock 9 # a second build waits for the first, then finds its result
if [ -x "$OUT/micropython" ] && [ -x "$OUT/mpy-cross" ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$STAMP" ]; then echo "$OUT/micropython"; exit 0; fi

sudo=""
[ "$(id -u)" = "0" ] || sudo="sudo -n"
missing=()
command -v gcc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || missing+=(build-essential) # mpy-cross runs on the host
command -v i686-linux-gnu-gcc >/dev/null 2>&1 || missing+=(crossbuild-essential-i386)
command -v qemu-i386 >/dev/null 2>&1 || missing+=(qemu-user)
command -v xz >/dev/null 2>&1 || missing+=(xz-utils)
command -v bzip2 >/dev/null 2>&1 || missing+=(bzip2)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing what the native engine's build needs: ${missing[*]}"
  { $sudo apt-get install -y -qq "${missing[@]}" >"$OUT/apt-install.log" 2>&1; } ||
    fail "cannot build the native engine: install ${missing[*]} (apt-get install ${missing[*]})"
fi

# A deb-src line for the suite, with the URI and keyring of the system's own Debian source.
sources=/etc/apt/sources.list.d/debian.sources
uri="" key=""
if [ -f "$sources" ]; then
  uri="$(awk '/^URIs:/ {print $2; exit}' "$sources")"
  key="$(awk '/^Signed-By:/ {print $2; exit}' "$sources")"
elif [ -f /etc/apt/sources.list ]; then
  uri="$(awk '$1 == "deb" && $2 !~ /^\[/ {print $2; exit}' /etc/apt/sources.list)"
fi
[ -n "$uri" ] || fail "cannot build the native engine: no Debian package source in $sources or /etc/apt/sources.list"
apt_dir="$OUT/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
echo "deb-src ${key:+[signed-by=$key] }$uri $SUITE main" >"$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=-" -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache::Archives=$apt_dir/archives" -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root")
say "building the native engine (MicroPython and mbedTLS from Debian's source packages, for a 32-bit CPU; about two minutes the first time)"
log="$OUT/build.log"
: >"$log"
src="$OUT/src"
tls="$OUT/mbedtls"
fetch() { # fetch PACKAGE DIR: the upstream tarball unpacked into DIR
  rm -f "$OUT/$1"_*
  apt-get -q "${apt_opts[@]}" source --download-only "$1"
  rm -rf "$2" && mkdir -p "$2"
  tar -xf "$OUT/$1"_*.orig.tar.* -C "$2" --strip-components=1
}
(
  cd "$OUT"
  [ -f "$src/.patched" ] && [ -f "$tls/.configured" ] || apt-get -q "${apt_opts[@]}" update
  if [ ! -f "$src/.patched" ]; then
    fetch micropython "$src"
    tar -xJf micropython_*.debian.tar.xz -C "$src"
    (cd "$src" && while read -r patch; do
      [ -n "$patch" ] && [ "${patch#\#}" = "$patch" ] && patch -p1 -s <"debian/patches/$patch"
    done <debian/patches/series)
    touch "$src/.patched"
  fi
  if [ ! -f "$tls/.configured" ]; then
    fetch mbedtls "$tls"
    python3 "$tls/scripts/config.py" -f "$tls/include/mbedtls/mbedtls_config.h" unset MBEDTLS_SSL_PROTO_TLS1_3
    touch "$tls/.configured"
  fi
  rm -f micropython_* mbedtls_*
  make -C "$tls/library" -j2 CC=i686-linux-gnu-gcc AR=i686-linux-gnu-ar CFLAGS=-O2 static
  {
    echo "include(\"\$(MPY_DIR)/debian/config/manifest.py\")"
    for f in "${FROZEN[@]}"; do echo "freeze(\"$BOARD_DIR\", \"$f\")"; done
  } >"$OUT/manifest.py"
  make -C "$src/mpy-cross" -j2
  # No folding of module constants at compile time: errno.ETIMEDOUT must be the board's number
  # (the board model's errno module has newlib's), not the compiler's Linux one. The ESP32 port's
  # split heap, with its new areas from our C module (py/gc.c adds to a void pointer there, as the
  # ESP32 build allows). Static, so qemu needs no i386 libraries;
  # without ffi, which the board does not have either.
  cflags=(-Wno-error=pointer-arith -DMICROPY_COMP_MODULE_CONST=0 -DMICROPY_GC_SPLIT_HEAP=1 -DMICROPY_GC_SPLIT_HEAP_AUTO=1
    -DMP_PLAT_ALLOC_HEAP=native_alloc_heap -DMP_PLAT_FREE_HEAP=native_free_heap -include "$CMODULES/native/native_heap.h" -I"$tls/include")
  port=(BUILD=build-i386 CROSS_COMPILE=i686-linux-gnu- STRIP=true MICROPY_PY_FFI=0 MICROPY_SSL_AXTLS=0 MICROPY_SSL_MBEDTLS=1
    MICROPY_PY_BTREE=0 FROZEN_MANIFEST="$OUT/manifest.py" USER_C_MODULES="$CMODULES" CFLAGS_EXTRA="${cflags[*]}"
    LDFLAGS_EXTRA="-L$tls/library -static")
  build="$src/ports/unix/build-i386"
  flags="$(printf '%s\n' "${port[@]}" | sha256sum | cut -c1-16)"
  if [ "$(cat "$build/.flags" 2>/dev/null)" != "$flags" ]; then rm -rf "$build"; fi # make does not see flags change
  rm -rf "$build/genhdr" # the C modules' registrations are collected afresh
  make -C "$src/ports/unix" -j2 "${port[@]}"
  echo "$flags" >"$build/.flags"
) >>"$log" 2>&1 || fail "the native engine's build failed; its output is in $log"
# the compiler to .mpy of the same MicroPython, for the harness (a firmware too large to compile on
# a board is put on it compiled: harness deploy/MpyCross.java)
cp "$src/mpy-cross/build/mpy-cross" "$OUT/mpy-cross"
cp "$src/ports/unix/build-i386/micropython" "$OUT/micropython.new"
mv "$OUT/micropython.new" "$OUT/micropython"
runs "$OUT/micropython" || fail "the native engine's build gave no interpreter that qemu-i386 runs; see $log"
echo "$STAMP" >"$OUT/stamp"
rm -f "$OUT/unavailable" "$OUT/path-binary"
echo "$OUT/micropython"
