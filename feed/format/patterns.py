"""The textual forms the feed and the configs share, one regular expression each.

The feed's models (pydantic) and the apps' config sections (msgspec) both check ids and colours;
each states its type with the pattern from here, so a device id and a hall id in a target, or a
headline's colour and the LED's configured colour, follow one rule.
"""

from __future__ import annotations

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,127}$"  # record ids, hall and group ids, device ids
HEX_COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"  # "#rrggbb"
SHA256_PATTERN = r"^[0-9a-f]{64}$"  # an object's name: its SHA-256, lower-case hex
