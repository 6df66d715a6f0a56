"""Proof of play: which headline was shown, when, and for how long.

The player reports every finished (or cut short) headline to a `PlayRecorder`. `PlayTally` counts
plays in memory for the run summary and forwards each one to a durable recorder — the feed core's
outbox — so the record survives restarts and travels back with the rest of the outbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

log = logging.getLogger(__name__)


class PlayRecorder(Protocol):
    def record_play(self, headline_id: str, started_at: datetime, seconds: float) -> object: ...


@dataclass
class PlayTotals:
    plays: int = 0
    seconds: float = 0.0


@dataclass
class PlayTally:
    durable: PlayRecorder | None = None
    totals: dict[str, PlayTotals] = field(default_factory=dict)
    failures: int = 0

    def record_play(self, headline_id: str, started_at: datetime, seconds: float) -> None:
        entry = self.totals.setdefault(headline_id, PlayTotals())
        entry.plays += 1
        entry.seconds += seconds
        if self.durable is None:
            return
        try:
            self.durable.record_play(headline_id, started_at, seconds)
        except Exception as exc:  # a full disk must not darken the screen
            self.failures += 1
            log.warning("proof of play for %s not stored: %s", headline_id, exc)

    def summary(self) -> str:
        if not self.totals:
            return "no headline played"
        parts = [f"{hid}×{t.plays} ({t.seconds:.0f}s)" for hid, t in sorted(self.totals.items())]
        return "played: " + ", ".join(parts)
