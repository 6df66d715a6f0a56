#!/usr/bin/env bash
# Regenerate docs/screenshots/desk-<page>.png and phone-<page>.png: the centre desk's browser tests (headless chromium at
# 1366x768 against a real `hall-centre serve` on SQLite) saves every desk page it visits there.
set -eu
cd "$(dirname "$0")/.."
HALL_DESK_SCREENSHOTS="$PWD/docs/screenshots" .venv/bin/python -m pytest -q \
  "tests/centre/test_centre_desk_browser.py::test_staff_work_the_desk_in_a_browser[sqlite]" \
  "tests/centre/test_centre_desk_browser.py::test_a_citizen_finishes_a_form_on_a_phone_screen[sqlite]" \
  "tests/centre/test_centre_desk_browser.py::test_an_application_is_made_on_a_phone_and_answered_at_the_desk[sqlite]" \
  "tests/centre/test_centre_desk_browser.py::test_an_admin_registers_a_device_in_a_browser[sqlite]"
