#!/usr/bin/env bash
# Refuse early, with a plain message, when the interpreter is outside what Kivy 2.3.1 ships wheels for.
set -eu
py=${1:-python3}
if ! command -v "$py" >/dev/null 2>&1; then
  echo "error: '$py' not found; install Python 3.11, 3.12 or 3.13 (or run: make PYTHON=python3.12 ...)" >&2
  exit 1
fi
"$py" - <<'PY' || { echo "error: hall-kiosk needs Python 3.11-3.13 (Kivy 2.3.1 has no wheels for others); pass PYTHON=python3.1x to make" >&2; exit 1; }
import sys
sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)
PY
