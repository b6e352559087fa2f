#!/usr/bin/env bash
# The scenario suite on Wokwi's simulated ESP32, through wokwi-cli. Needs:
#   WOKWI_CLI_TOKEN      a Wokwi CI token (https://wokwi.com/dashboard/ci); without it this script
#                        skips with a notice and exits 0, so forks without the secret stay green
#   HIL_WOKWI_FIRMWARE   a stock MicroPython ESP32_GENERIC .bin
#   HIL_SERVER_HOST      the public address (host or tunnel) under which the board, on Wokwi's
#                        cloud, reaches this machine's test server
# The report is in reports/latest/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${WOKWI_CLI_TOKEN:-}" ]; then
  echo "ci/wokwi.sh: WOKWI_CLI_TOKEN is not set; skipping the Wokwi run"
  exit 0
fi
./hil run --target wokwi "$@"
