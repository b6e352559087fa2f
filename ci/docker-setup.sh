#!/usr/bin/env bash
# Prepares Docker for the container tests (backends in the loop, the interop matrix) on a Debian
# machine like the project's build machines:
#   1. installs Debian's docker.io when no engine is installed, and starts dockerd when none runs;
#   2. makes the base image: pulls debian:bookworm-slim when a registry answers, otherwise builds
#      an equivalent root file system from Debian packages with debootstrap, using the mirror that
#      apt itself is configured with;
#   3. builds the project's backend images (harness/containers/*) from that base, with no network
#      needed during the build (the Node server's packages are installed here first, from its lockfile).
# Writes the pid of a dockerd it started to $HIL_DOCKERD_PIDFILE (default: /tmp/hil-dockerd.pid), so
# the caller can stop it.
# Run as root, or with sudo available. Exits 0 with a notice when Docker cannot be had, so the
# container tests are skipped (with their reason) rather than the whole build failing.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_IMAGE="${HIL_BASE_IMAGE:-debian:bookworm-slim}"
LOCAL_BASE="esp32hil/debian-base:bookworm"
PIDFILE="${HIL_DOCKERD_PIDFILE:-/tmp/hil-dockerd.pid}"
sudo=""
[ "$(id -u)" = "0" ] || sudo="sudo"

say() { echo "docker-setup: $*" >&2; }

engine_up() { $sudo docker info >/dev/null 2>&1; }

if ! command -v dockerd >/dev/null 2>&1; then
  say "installing Debian's docker.io"
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq docker.io >/dev/null \
    || { say "docker.io could not be installed; the container tests will be skipped"; exit 0; }
fi

if ! engine_up; then
  say "starting dockerd"
  $sudo bash -c "nohup dockerd >/tmp/hil-dockerd.log 2>&1 & echo \$! > '$PIDFILE'"
  for _ in $(seq 1 60); do engine_up && break; sleep 0.5; done
  engine_up || { say "dockerd did not start (see /tmp/hil-dockerd.log); the container tests will be skipped"; exit 0; }
fi

# The base image: the normal one when a registry answers, else the same distribution from packages.
base="$BASE_IMAGE"
if ! $sudo docker image inspect "$base" >/dev/null 2>&1; then
  if timeout 60 $sudo docker pull -q "$base" >/dev/null 2>&1; then
    say "pulled $base"
  elif $sudo docker image inspect "$LOCAL_BASE" >/dev/null 2>&1; then
    base="$LOCAL_BASE"
  else
    # apt's own mirror for the main archive (deb822 sources first, then the one-line format)
    mirror="$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)"
    [ -n "$mirror" ] || mirror="$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' | grep -v security | head -n1 || true)"
    [ -n "$mirror" ] || { say "no registry and no apt mirror configured; the container tests will be skipped"; exit 0; }
    command -v debootstrap >/dev/null 2>&1 || { $sudo apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq debootstrap >/dev/null; }
    root="$(mktemp -d /tmp/hil-rootfs.XXXXXX)"
    trap '$sudo rm -rf "$root"' EXIT
    say "no registry reachable: building $LOCAL_BASE from Debian packages (about 90 s)"
    if ! $sudo debootstrap --variant=minbase --include=python3,nodejs bookworm "$root" "$mirror" >/tmp/hil-debootstrap.log 2>&1; then
      say "debootstrap failed (see /tmp/hil-debootstrap.log); the container tests will be skipped"
      exit 0
    fi
    $sudo tar -C "$root" -c . | $sudo docker import - "$LOCAL_BASE" >/dev/null
    base="$LOCAL_BASE"
  fi
fi
say "base image: $base"

# The Node server's packages come from its lockfile on this machine, so the image build needs no network.
(cd harness/containers/node-ws && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)

build() { # image, Dockerfile, context
  say "building $1"
  if ! $sudo docker build -q --build-arg "BASE=$base" -t "$1" -f "$2" "$3" >/tmp/hil-docker-build.log 2>&1; then
    cat /tmp/hil-docker-build.log >&2
    say "building $1 failed"
    exit 1
  fi
}
build esp32hil/python-test-server:latest harness/containers/python-test-server/Dockerfile firmware/tools
build esp32hil/node-ws:latest harness/containers/node-ws/Dockerfile harness/containers/node-ws
