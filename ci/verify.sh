#!/usr/bin/env bash
# Pull-request check: the unit tests, the firmware's tests and the whole scenario suite on the
# built-in simulator (`mvn verify`). Runs the same on a laptop and in any CI system.
# Needs: JDK 17+, Maven, Node.js 18+, python3, openssl, socat.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
mvn -B -ntp verify || status=$?
report=harness/target/hil-report/suite/report.html
if [ -f "$report" ]; then
  echo "ci/verify.sh: scenario report: $report"
fi
exit "$status"
