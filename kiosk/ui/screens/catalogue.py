"""Browsing the 公开目录 tree: a node's children, then the items filed under it, page by page. On a
node two actions: 点题公开 (ask the bureau to publish more there) and, for government information,
依申请公开 (apply for information under the node, made on the phone)."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty

from feed import item_row_text
from kiosk.logic.catalog_view import APPLICATION_DOMAINS, DOMAIN_TITLES, fit_breadcrumb
from kiosk.logic.navigation import Route
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import buttons, paged_list, text  # noqa: F401 - classes used in the kv rules
from kiosk.ui.widgets.list_row import RowData
from kiosk.ui.widgets.text import WRAP_SLACK_PX, measurer

load_kv_once(__file__)


class CatalogueScreen(BaseScreen):
    breadcrumb = StringProperty("")
    description = StringProperty("")
    node_title = StringProperty("")  # the node shown ("" for a domain's list of roots)
    can_apply = BooleanProperty(False)  # 依申请公开 offered for the node shown

    def __init__(self, **kwargs: Any) -> None:
        self._path_titles: list[str] = []  # before the kv rules, which fit the breadcrumb on width
        super().__init__(**kwargs)
        self._domain = "government"
        self._node: str | None = None

    def enter(self, route: Route) -> None:
        super().enter(route)
        app = self.host
        tree = app.catalog_tree
        self._domain = str(route.param("domain", "government"))
        self.page_title = DOMAIN_TITLES.get(self._domain, "公开目录")
        node_id: str | None = route.param("node")
        if node_id is None:
            roots = tree.roots(self._domain)  # type: ignore[arg-type]
            if len(roots) == 1:
                node_id = roots[0].id
        self._node = node_id
        node = tree.node(node_id) if node_id else None
        path = tree.path(node_id) if node_id else []
        self._path_titles = [n.title for n in path] or [self.page_title]
        self.fit_breadcrumb()
        self.description = node.description if node is not None else ""
        self.node_title = node.title if node is not None else ""
        self.can_apply = node is not None and self._domain in APPLICATION_DOMAINS
        listing = self.ids.listing
        page = int(route.param("page", 0))
        if route.param("all") or (node_id is not None and tree.is_leaf(node_id)):
            assert node_id is not None
            total = app.reader.count_items(node_id)
            listing.empty_text = "本栏目暂无公开信息"
            listing.set_source(total, lambda offset, limit: self._item_rows(node_id, offset, limit), page)
            return
        children = tree.children(node_id) if node_id else tree.roots(self._domain)  # type: ignore[arg-type]
        rows: list[RowData] = []
        if node_id is not None:
            rows.append(
                RowData(
                    Route("catalogue", {"domain": self._domain, "node": node_id, "all": True}),
                    "本栏目全部信息",
                    f"共 {app.reader.count_items(node_id)} 条",
                )
            )
        for child in children:
            meta = f"{app.reader.count_items(child.id)} 条"
            if child.time_limit:
                meta += f"　公开时限：{child.time_limit}"
            rows.append(
                RowData(Route("catalogue", {"domain": self._domain, "node": child.id}), child.title, meta)
            )
        listing.empty_text = "暂无栏目"
        listing.set_source(len(rows), lambda offset, limit: rows[offset : offset + limit], page)

    def fit_breadcrumb(self) -> None:
        """The path on one line: long catalogue titles would otherwise push the list off screen."""
        label = self.ids.get("breadcrumb_label")
        if label is None:
            return
        measure = measurer(label.font_name, label.font_size, label.bold)
        self.breadcrumb = fit_breadcrumb(self._path_titles, label.width - WRAP_SLACK_PX * 2, measure)

    def request_disclosure(self) -> None:
        """点题公开 about this node: the citizen asks for more of it to be published."""
        if self._node is not None:
            self.go("feedback", kind="disclosure_request", node=self._node, title=self.node_title)

    def apply_for_disclosure(self) -> None:
        """依申请公开 of information under this node (offered where `can_apply`)."""
        if self._node is not None and self.can_apply:
            self.go("application", node=self._node, title=self.node_title)

    def _item_rows(self, node_id: str, offset: int, limit: int) -> list[RowData]:
        rows = []
        for summary in self.host.reader.items_in(node_id, offset=offset, limit=limit):
            title, meta = item_row_text(summary)
            rows.append(RowData(Route("item", {"id": summary.id}), title, meta))
        return rows
