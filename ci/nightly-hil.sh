#!/usr/bin/env bash
# Nightly hardware-in-the-loop run: the scenario suite on an ESP32 attached to this machine.
# The board's port and Wi-Fi come from the environment (never from the repository):
#   HIL_PORT (optional when exactly one ESP32 is attached), HIL_WIFI_SSID, HIL_WIFI_PASSWORD,
#   HIL_SERVER_HOST (optional: this machine's address on the board's network).
# The report is in reports/latest/; the exit code is hil's (0 passed, 1 failed, 2 usage, 3 infrastructure).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${HIL_WIFI_SSID:?set HIL_WIFI_SSID and HIL_WIFI_PASSWORD to the network of the board}"
./hil doctor || true # shows the ports and tools in the job log
./hil run --target serial ${HIL_PORT:+--port "$HIL_PORT"} "$@"
