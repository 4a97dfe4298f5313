#!/usr/bin/env bash
# Renders a report in headless Chromium (Debian package `chromium`) and checks the screenshot is not blank.
# Usage: scripts/screenshot-report.sh REPORT.html OUT.png [HEIGHT]
set -euo pipefail
html=$(realpath "$1"); png=$2; height=${3:-2400}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then echo "skip: chromium is not installed (apt-get install chromium)"; exit 0; fi
profile=$(mktemp -d)
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
  --window-size=1100,"$height" --screenshot="$png" "file://$html" >/dev/null 2>&1
rm -rf "$profile"
python3 "$(dirname "$0")/png-nonblank.py" "$png"
