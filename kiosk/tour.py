"""`hall-kiosk --tour DIR`: walk every kind of screen, write one PNG each, then exit.

Each step acts as a citizen would (through the same methods the touches call), waits for the
layout to settle over a few frames, then grabs the window. `tour.json` beside the PNGs records
which item and guide were shown and the URLs their QR codes carry, so a test can decode them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.app import KioskApp
from kiosk.logic.navigation import Route
from kiosk.logic.session import HOME

log = logging.getLogger(__name__)

SETTLE_SECONDS = 0.5
SETTLE_FRAMES = 6
TOUR_QUERY = "bdc"


@dataclass(frozen=True)
class Step:
    name: str
    act: Callable[[], None]


class Tour:
    def __init__(self, app: KioskApp, out_dir: Path) -> None:
        self.app = app
        self.out_dir = out_dir
        self.written: list[Path] = []
        self.facts: dict[str, Any] = {}
        self.failed: str | None = None
        self._steps = self._plan()
        self._index = 0
        self._frames_at_act = 0

    # ------------------------------------------------------------------ plan

    def _plan(self) -> list[Step]:
        app = self.app
        return [
            Step("attract", lambda: None),
            Step("home", app.start_session),
            Step("catalogue", lambda: app.navigate(Route("catalogue", {"domain": "government"}))),
            Step("item", self._open_item),
            Step("image", self._open_image),
            Step("guides", lambda: app.navigate(Route("guides", {"mode": "hot"}))),
            Step("guide", self._open_guide),
            Step("search", self._search),
            Step("feedback", self._feedback),
            Step("application", self._application),
            Step("elderly-home", self._elderly_home),
            Step("admin", lambda: app.navigate(Route("admin"))),
        ]

    def _open_item(self) -> None:
        reader = self.app.reader
        candidates = [s.id for s in reader.featured_items(20)]
        catalog = reader.catalog()
        if catalog is not None:
            for node in catalog.nodes:
                if node.parent is None:
                    candidates += [s.id for s in reader.items_in(node.id, limit=20)]
        chosen = next(
            (
                i
                for i in candidates
                if (item := reader.item(i)) and self.app.qr_policy.allows(item.original_url)
            ),
            candidates[0] if candidates else "",
        )
        self.app.navigate(Route("item", {"id": chosen}))
        item = reader.item(chosen)
        self.facts["item"] = {"id": chosen, "original_url": item.original_url if item else None}

    def _open_image(self) -> None:
        """The full-screen viewer, on the first featured or catalogued item with an image."""
        reader = self.app.reader
        candidates = [s.id for s in reader.featured_items(50)]
        catalog = reader.catalog()
        for node in catalog.nodes if catalog is not None else []:
            if node.parent is None:
                candidates += [s.id for s in reader.items_in(node.id, limit=200)]
        chosen = next((i for i in candidates if (item := reader.item(i)) and item.images), "")
        self.app.navigate(Route("image", {"item": chosen, "index": 0}))
        self.facts["image"] = {"item": chosen}

    def _open_guide(self) -> None:
        reader = self.app.reader
        hot = reader.hot_guides(20) or reader.guides(limit=20)
        chosen = next(
            (s.id for s in hot if (g := reader.guide(s.id)) and g.guide_url and g.online.url),
            hot[0].id if hot else "",
        )
        self.app.navigate(Route("guide", {"id": chosen}))
        guide = reader.guide(chosen)
        self.facts["guide"] = {
            "id": chosen,
            "guide_url": guide.guide_url if guide else None,
            "online_url": guide.online.url if guide else None,
        }

    def _search(self) -> None:
        self.app.navigate(Route("search"))
        screen = self.app.screen("search")
        for key in TOUR_QUERY:
            screen.ids.keyboard.key_button(key).dispatch("on_release")
        self.facts["search"] = {"query": TOUR_QUERY, "results": [h.title for h in self.app.search.results]}

    def _feedback(self) -> None:
        self.app.navigate(Route("feedback", {"kind": "rating"}))
        self.app.screen("feedback").choose_level(5)

    def _application(self) -> None:
        """依申请公开 about the first 政务公开 node: the phone form's code, or the portal's without one."""
        roots = self.app.catalog_tree.roots("government")
        node = roots[0] if roots else None
        params = {"node": node.id, "title": node.title} if node is not None else {}
        self.app.navigate(Route("application", params))
        self.facts["application"] = {
            "node": node.id if node is not None else None,
            "url": self.app.screen("application").ids.qr.url,
        }

    def _elderly_home(self) -> None:
        self.app.session.set_elderly(True)
        self.app.home()
        if self.app.navigator.current != HOME:
            self.app.navigate(HOME)

    # ------------------------------------------------------------------- run

    def start(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.app.idle_enabled = False  # a slow machine must not show the idle countdown mid-tour
        Clock.schedule_once(self._act, SETTLE_SECONDS)

    def _act(self, _dt: float) -> None:
        step = self._steps[self._index]
        try:
            step.act()
            self.app.keep_going()  # each step stands for a touch: no idle countdown mid-tour
        except Exception as exc:
            log.exception("tour step %s failed", step.name)
            self._finish(f"{step.name}: {exc}")
            return
        self._frames_at_act = self.app.frames_drawn
        Clock.schedule_once(self._capture, SETTLE_SECONDS)

    def _capture(self, _dt: float) -> None:
        if self.app.frames_drawn - self._frames_at_act < SETTLE_FRAMES:
            # Kivy flips only when something changed; a still screen (the clock shows minutes)
            # would otherwise make each capture wait for the next minute.
            Window.canvas.ask_update()
            Clock.schedule_once(self._capture, 0.05)
            return
        step = self._steps[self._index]
        self.app.keep_going()
        target = self.out_dir / f"kiosk-{step.name}.png"
        written = Window.screenshot(name=str(self.out_dir / f"kiosk-{step.name}.png"))
        produced = Path(written) if written else None
        if produced is None or not produced.exists():
            self._finish(f"{step.name}: no screenshot written")
            return
        produced.replace(target)  # Window.screenshot appends 0001 to the name
        self.written.append(target)
        self._index += 1
        if self._index == len(self._steps):
            self._finish(None)
        else:
            Clock.schedule_once(self._act, 0)

    def _finish(self, failure: str | None) -> None:
        self.failed = failure
        self.facts["screens"] = [p.name for p in self.written]
        self.facts["size"] = list(Window.size)
        self.facts["layout"] = self.app.layout.name if self.app.layout else None
        (self.out_dir / "tour.json").write_text(json.dumps(self.facts, ensure_ascii=False, indent=2), "utf-8")
        self.app.exit_kiosk()
