#!/usr/bin/env bash
# Builds the playground and serves it on 127.0.0.1 (PORT=8000 by default), printing the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-web.sh
port=${PORT:-8000}
echo
echo "PruneLab is served at http://127.0.0.1:$port/  (Ctrl-C stops it)"
exec python3 -m http.server "$port" --bind 127.0.0.1
