#!/usr/bin/env bash
# `make demo`: the kiosk in tablet demo mode beside the LED preview, on the bundled demo feed.
# Without a screen it still shows something real: a screenshot tour of every kiosk screen and a
# live LED preview in this terminal.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin
mkdir -p var

has_screen() {
  [ -n "${DISPLAY:-}" ] || return 1
  command -v xdpyinfo >/dev/null 2>&1 || return 0
  xdpyinfo >/dev/null 2>&1
}

if has_screen; then
  echo "Starting the LED preview window and the kiosk (demo mode). Close the kiosk window to stop."
  "$BIN/hall-display" --demo --output window &
  display_pid=$!
  trap 'kill $display_pid 2>/dev/null' EXIT
  "$BIN/hall-kiosk" --demo
  exit $?
fi

echo "No screen here: touring every kiosk screen into var/tour/ instead of opening a window."
scripts/install-system-deps.sh
status=0
if command -v Xvfb >/dev/null 2>&1; then
  scripts/with-display.sh "$BIN/hall-kiosk" --demo --tour var/tour || status=$?
  [ "$status" = 0 ] && echo "Those are the kiosk's screens: open them with any image viewer."
else
  echo "Xvfb is not installed, so the kiosk tour is skipped (install xvfb to get it)."
fi
echo
echo "LED headline screen, previewed in this terminal for 12 seconds:"
"$BIN/hall-display" --demo --output terminal --duration 12 || status=$?
echo
"$BIN/hall-feed" status --cache var/demo/cache || true
exit $status
