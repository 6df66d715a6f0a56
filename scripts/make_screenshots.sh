#!/usr/bin/env bash
# Regenerate docs/screenshots/kiosk-<layout>-<screen>.png: the demo tour at the three layout sizes.
set -eu
cd "$(dirname "$0")/.."
BIN=.venv/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in tablet:1280x800 landscape:1920x1080 portrait:1080x1920; do
  layout=${entry%%:*}
  size=${entry#*:}
  scripts/with-display.sh "$BIN/hall-kiosk" --demo --tour "$work/$layout" --size "$size" --layout "$layout" >/dev/null
  for shot in "$work/$layout"/kiosk-*.png; do
    name=$(basename "$shot")
    cp "$shot" "docs/screenshots/kiosk-$layout-${name#kiosk-}"
  done
  echo "$layout ($size): $(ls "$work/$layout"/kiosk-*.png | wc -l) screens"
done
