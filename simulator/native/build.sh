#!/usr/bin/env bash
# Provides the native engine's interpreter: MicroPython's Unix port, the same interpreter, garbage
# collector and mbedTLS code as the ESP32 port. Prints the binary's path on stdout.
#
#   1. a `micropython` 1.24 or newer on the PATH is used as it is;
#   2. else a build cached in simulator/build/native (never in git) is used;
#   3. else Debian's `micropython` source package is fetched with apt-get into a private apt state
#      (the system's apt configuration is read, never changed: the registry's address comes from
#      it), and ports/unix is built there with the system's compiler, libffi and mbedTLS.
#
# Exit 3 with one line on stderr when none of these works (e.g. no compiler and not root).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${HIL_NATIVE_DIR:-$HERE/../build/native}"
mkdir -p "$OUT" && OUT="$(cd "$OUT" && pwd)"
SUITE=trixie # the first Debian suite with a MicroPython of 1.24 or newer (1.25.0)
say() { echo "esp32sim: $*" >&2; }
# The reason is kept, so a simulator that would only prefer the native engine does not try again
# at every start (simulator/src/native-engine.js); this script always tries.
fail() { say "$*"; echo "$*" >"$OUT/unavailable"; exit 3; }

version_ok() { # "MicroPython v1.25.0 ..." -> at least 1.24
  local v; v="$("$1" -c 'import sys; print("%d.%d" % sys.implementation.version[:2])' 2>/dev/null)" || return 1
  [ "$(printf '%s\n1.24\n' "$v" | sort -V | head -1)" = "1.24" ]
}

if command -v micropython >/dev/null 2>&1 && [ -z "${HIL_NATIVE_NO_PATH:-}" ]; then
  found="$(command -v micropython)"
  if version_ok "$found"; then echo "$found"; exit 0; fi
  say "ignoring $found: older than MicroPython 1.24"
fi
# The board-support modules are frozen into the binary, as a board's are into its flash: their code
# then costs no heap, and the heap a program sees is the board's. A change to them is a rebuild
# (an incremental one: the build tree is kept).
BOARD_DIR="$(cd "$HERE/../board" && pwd)"
FROZEN=(_board.py _binascii.py _console.py _errno.py _gc.py _hashlib.py _link_native.py _os.py _repl.py _select.py _sys.py _time.py
  _native_boot.py machine.py network.py ntptime.py socket.py ssl.py)
# Our own C: the board's clock for mbedTLS (cmodules/tlsclock).
CMODULES="$HERE/cmodules"
STAMP="unix-port module-const-0 $( (cd "$BOARD_DIR" && cat "${FROZEN[@]}"; cat "$CMODULES"/*/*) | sha256sum | cut -c1-16)" # what the cached build was made with
if [ -x "$OUT/micropython" ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$STAMP" ] && version_ok "$OUT/micropython"; then
  touch "$OUT/micropython" # the frozen modules are unchanged: newer than them now, for the quick checks of mtimes
  echo "$OUT/micropython"; exit 0
fi

exec 9>"$OUT/.lock"
flock 9 # a second build waits for the first, then finds its result
if [ -x "$OUT/micropython" ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$STAMP" ]; then echo "$OUT/micropython"; exit 0; fi

sudo=""
[ "$(id -u)" = "0" ] || sudo="sudo -n"
missing=()
command -v gcc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || missing+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists libffi 2>/dev/null || missing+=(libffi-dev)
[ -f /usr/include/mbedtls/ssl.h ] || missing+=(libmbedtls-dev)
command -v xz >/dev/null 2>&1 || missing+=(xz-utils)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing what the native engine's build needs: ${missing[*]}"
  { $sudo apt-get install -y -qq "${missing[@]}" >"$OUT/apt-install.log" 2>&1; } ||
    fail "cannot build the native engine: install ${missing[*]} (apt-get install ${missing[*]}), or put a micropython 1.24+ on the PATH"
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
say "building the native engine (MicroPython's Unix port from Debian's source package; about a minute the first time)"
log="$OUT/build.log"
: >"$log"
src="$OUT/src"
(
  cd "$OUT"
  if [ ! -f "$src/.patched" ]; then
    apt-get -q "${apt_opts[@]}" update
    rm -f micropython_*
    apt-get -q "${apt_opts[@]}" source --download-only micropython
    rm -rf "$src" && mkdir -p "$src"
    tar -xJf micropython_*.orig.tar.xz -C "$src" --strip-components=1
    tar -xJf micropython_*.debian.tar.xz -C "$src"
    rm -f micropython_*
    (cd "$src" && while read -r patch; do
      [ -n "$patch" ] && [ "${patch#\#}" = "$patch" ] && patch -p1 -s <"debian/patches/$patch"
    done <debian/patches/series)
    touch "$src/.patched"
  fi
  cd "$src"
  {
    echo "include(\"\$(MPY_DIR)/debian/config/manifest.py\")"
    for f in "${FROZEN[@]}"; do echo "freeze(\"$BOARD_DIR\", \"$f\")"; done
  } >"$OUT/manifest.py"
  make -C mpy-cross -j2
  # No folding of module constants at compile time: errno.ETIMEDOUT must be the board's number
  # (the board model's errno module has newlib's), not the compiler's Linux one.
  make -C ports/unix -j2 STRIP=true MICROPY_SSL_AXTLS=0 MICROPY_SSL_MBEDTLS=1 MICROPY_PY_BTREE=0 MICROPY_PY_FFI=1 \
    FROZEN_MANIFEST="$OUT/manifest.py" USER_C_MODULES="$CMODULES" CFLAGS_EXTRA="-DMICROPY_COMP_MODULE_CONST=0"
) >>"$log" 2>&1 || fail "the native engine's build failed; its output is in $log"
cp "$src/ports/unix/build-standard/micropython" "$OUT/micropython.new"
mv "$OUT/micropython.new" "$OUT/micropython"
version_ok "$OUT/micropython" || fail "the native engine's build gave no working interpreter; see $log"
echo "$STAMP" >"$OUT/stamp"
rm -f "$OUT/unavailable"
echo "$OUT/micropython"
