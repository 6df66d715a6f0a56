#!/usr/bin/env bash
# Runs a command with an X display: the real one when there is one, else a private Xvfb that is
# torn down afterwards. Kivy then gets a real OpenGL window (Mesa llvmpipe) either way.
set -u
if [ -n "${DISPLAY:-}" ] && { ! command -v xdpyinfo >/dev/null 2>&1 || xdpyinfo >/dev/null 2>&1; }; then
  exec "$@"
fi
if ! command -v Xvfb >/dev/null 2>&1; then
  echo "warning: no display and no Xvfb; GUI parts will be skipped or fail (install xvfb)" >&2
  exec "$@"
fi
fdfile=$(mktemp)
Xvfb -displayfd 3 -screen 0 1920x1920x24 -nolisten tcp -noreset 3>"$fdfile" 2>/dev/null &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null; rm -f "$fdfile"' EXIT
for _ in $(seq 1 100); do
  [ -s "$fdfile" ] && break
  sleep 0.05
done
if [ ! -s "$fdfile" ]; then
  echo "error: Xvfb did not start" >&2
  exit 1
fi
export DISPLAY=":$(head -n1 "$fdfile")"
"$@"
