"""Browsing service guides: hot ones, by department, or by who is asking (个人 / 法人)."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from feed import GuideSummary, guide_badges
from kiosk.logic.navigation import Route
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import buttons, paged_list, text  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.list_row import RowData

load_kv_once(__file__)

MODES: dict[str, str] = {
    "hot": "热门事项",
    "department": "按部门",
    "personal": "个人办事",
    "legal": "法人办事",
}
HOT_LIMIT = 200


def guide_row(summary: GuideSummary) -> RowData:
    badges = tuple(badge.text for badge in guide_badges(summary) if badge.text != "热门")
    return RowData(Route("guide", {"id": summary.id}), summary.title, summary.department, badges[:1])


class GuidesScreen(BaseScreen):
    mode = StringProperty("hot")
    heading = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_title = "办事指南"

    def enter(self, route: Route) -> None:
        super().enter(route)
        reader = self.host.reader
        self.mode = str(route.param("mode", "hot"))
        department: str | None = route.param("department")
        listing = self.ids.listing
        page = int(route.param("page", 0))
        listing.empty_text = "暂无办事指南"
        if self.mode == "department" and department is None:
            self.heading = "请选择部门"
            rows = [
                RowData(Route("guides", {"mode": "department", "department": name}), name, f"{count} 项")
                for name, count in reader.departments()
            ]
            listing.set_source(len(rows), lambda offset, limit: rows[offset : offset + limit], page)
            return
        if self.mode == "department":
            self.heading = department or ""
            self._show_guides(page, department=department)
        elif self.mode in ("personal", "legal"):
            self.heading = MODES[self.mode]
            self._show_guides(page, audience=self.mode)
        else:
            self.heading = "热门事项"
            hot = [guide_row(s) for s in reader.guides(hot_only=True, limit=HOT_LIMIT)]
            listing.set_source(len(hot), lambda offset, limit: hot[offset : offset + limit], page)

    def _show_guides(self, page: int, *, department: str | None = None, audience: str | None = None) -> None:
        """Page `page` of a department's guides, or of those for an audience (个人 / 法人)."""
        reader = self.host.reader

        def fetch(offset: int, limit: int) -> list[RowData]:
            found = reader.guides(department=department, audience=audience, offset=offset, limit=limit)
            return [guide_row(summary) for summary in found]

        total = reader.count_guides(department=department, audience=audience)
        self.ids.listing.set_source(total, fetch, page)

    def choose_mode(self, mode: str) -> None:
        if mode != self.mode or self.route is None or self.route.param("department") is not None:
            self.host.replace(Route("guides", {"mode": mode}))
