"""Which records this device may show: targeting and validity windows as one SQL condition.

Targeting: an empty target list means everyone. A record listing halls is shown only on a device of
one of those halls; a record listing groups only on a device in one of those groups; both lists must
admit the device. With no device configuration (an administrator's view, `hall-feed search`)
every record is shown. Items carry an inclusive date window checked against `today`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from feed.config import DeviceConfig


@dataclass(frozen=True)
class Visibility:
    device: DeviceConfig | None
    today: date

    def condition(self, alias: str = "r", *, dated: bool = True) -> tuple[str, dict[str, Any]]:
        """(SQL condition on table alias `alias`, named parameters) admitting visible records."""
        parts: list[str] = []
        params: dict[str, Any] = {}
        if dated:
            params["v_today"] = self.today.isoformat()
            parts.append(
                f"({alias}.valid_from IS NULL OR {alias}.valid_from <= :v_today)"
                f" AND ({alias}.valid_until IS NULL OR {alias}.valid_until >= :v_today)"
            )
        if self.device is not None:
            if self.device.hall is None:
                parts.append(f"{alias}.t_halls = ''")
            else:
                params["v_hall"] = f",{self.device.hall},"
                parts.append(f"({alias}.t_halls = '' OR instr({alias}.t_halls, :v_hall) > 0)")
            groups = [f"{alias}.t_groups = ''"]
            for n, group in enumerate(self.device.groups):
                params[f"v_group{n}"] = f",{group},"
                groups.append(f"instr({alias}.t_groups, :v_group{n}) > 0")
            parts.append("(" + " OR ".join(groups) + ")")
        return (" AND ".join(parts) or "1"), params
