#!/usr/bin/env bash
# `make demo`: the kiosk in tablet demo mode beside the LED preview, on the bundled demo feed, both
# delivering to a local centre (SQLite) that `hall-centre report` reads at the end.
# Without a screen it still shows something real: a screenshot tour of every kiosk screen, a live LED
# preview in this terminal, and the centre's report of what the devices sent.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin
CENTRE_CONFIG=config/demo-centre.toml
WORK=var/demo
CENTRE_URL=http://127.0.0.1:8700/
mkdir -p "$WORK"

has_screen() {
  [ -n "${DISPLAY:-}" ] || return 1
  command -v xdpyinfo >/dev/null 2>&1 || return 0
  xdpyinfo >/dev/null 2>&1
}

# A device's token: registered once; a token file lost later is replaced by a rotated token.
device_token() {
  local id=$1 role=$2 file="$WORK/$1.token" out
  [ -s "$file" ] && return 0
  if ! out=$("$BIN/hall-centre" devices add "$id" --role "$role" --hall qinghe-hall --config "$CENTRE_CONFIG" 2>&1); then
    out=$("$BIN/hall-centre" devices rotate "$id" --config "$CENTRE_CONFIG") || return 1
  fi
  (umask 077 && printf '%s\n' "$(printf '%s\n' "$out" | tail -n 1)" >"$file")
}

# The kiosk's key for signing phone-form links (意见建议, 点题公开 and 依申请公开 on a phone), issued
# afresh at every start so it always matches the demo centre's database.
form_key() {
  local file="$WORK/$1.form-key" out
  out=$("$BIN/hall-centre" devices form-key "$1" --config "$CENTRE_CONFIG") || return 0
  (umask 077 && printf '%s\n' "$(printf '%s\n' "$out" | tail -n 1)" >"$file")
}

# A desk account to look at the staff pages with (a demo password: never use it elsewhere).
DESK_USER=demo
DESK_PASSWORD=demo-desk-2026
desk_account() {
  "$BIN/hall-centre" users list --config "$CENTRE_CONFIG" 2>/dev/null | grep -q "^$DESK_USER	" && return 0
  printf '%s\n' "$DESK_PASSWORD" | "$BIN/hall-centre" users add "$DESK_USER" --role handler \
    --config "$CENTRE_CONFIG" >/dev/null
}

centre_pid=""
start_centre() {
  "$BIN/hall-centre" init --config "$CENTRE_CONFIG" >/dev/null || return 1
  device_token demo-kiosk kiosk && device_token demo-display display || return 1
  form_key demo-kiosk
  desk_account
  "$BIN/hall-centre" serve --config "$CENTRE_CONFIG" >"$WORK/centre.log" 2>&1 &
  centre_pid=$!
  "$BIN/python" - "$CENTRE_URL" <<'PY' || { echo "the demo centre did not start (see $WORK/centre.log)"; return 1; }
import sys, time, httpx
for _ in range(150):
    try:
        if httpx.get(sys.argv[1] + "v1/health", timeout=1).status_code == 200:
            sys.exit(0)
    except httpx.HTTPError:
        time.sleep(0.2)
sys.exit(1)
PY
  echo "Demo centre at $CENTRE_URL (log: $WORK/centre.log)."
  echo "Its desk: ${CENTRE_URL}desk/ (sign in as $DESK_USER, password $DESK_PASSWORD)."
}

stop_centre() {
  [ -n "$centre_pid" ] && kill "$centre_pid" 2>/dev/null && wait "$centre_pid" 2>/dev/null
  centre_pid=""
}
trap stop_centre EXIT

if ! start_centre; then
  echo "Going on without the centre: the devices keep their records in the outbox."
  rm -f "$WORK/demo-kiosk.token" "$WORK/demo-display.token"
fi

if has_screen; then
  echo "Starting the LED preview window and the kiosk (demo mode). Close the kiosk window to stop."
  "$BIN/hall-display" --demo --output window &
  display_pid=$!
  trap 'kill $display_pid 2>/dev/null; stop_centre' EXIT
  "$BIN/hall-kiosk" --demo
  status=$?
  [ -n "$centre_pid" ] && "$BIN/hall-centre" report --config "$CENTRE_CONFIG"
  exit $status
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
"$BIN/hall-feed" status --cache "$WORK/cache" || true
if [ -n "$centre_pid" ]; then
  echo
  echo "The kiosk delivers its outbox and reports to the centre:"
  "$BIN/hall-feed" send --once --role kiosk --device demo-kiosk --cache "$WORK/cache" \
    --centre "$CENTRE_URL" --token-file "$WORK/demo-kiosk.token" || status=$?
  echo
  "$BIN/hall-centre" report --config "$CENTRE_CONFIG" || status=$?
fi
exit $status
