"""The 公开目录 tree for browsing: roots per domain, children, breadcrumbs."""

from __future__ import annotations

from collections.abc import Callable

from feed import Catalog, CatalogNode, Domain

DOMAIN_TITLES: dict[str, str] = {"party": "党务公开", "government": "政务公开", "notice": "通知公告"}
# 依申请公开 is for government information (政府信息公开条例); 党务公开 follows the Party's own rules.
APPLICATION_DOMAINS = frozenset({"government", "notice"})


class CatalogTree:
    """Index of a catalogue's nodes; children are ordered by `order`, then title."""

    def __init__(self, catalog: Catalog | None) -> None:
        nodes = [] if catalog is None else catalog.nodes
        self._by_id = {node.id: node for node in nodes}
        self._children: dict[str | None, list[CatalogNode]] = {}
        for node in sorted(nodes, key=lambda n: (n.order, n.title)):
            self._children.setdefault(node.parent, []).append(node)

    def roots(self, domain: Domain) -> list[CatalogNode]:
        return [node for node in self._children.get(None, []) if node.domain == domain]

    def children(self, node_id: str) -> list[CatalogNode]:
        return list(self._children.get(node_id, []))

    def node(self, node_id: str) -> CatalogNode | None:
        return self._by_id.get(node_id)

    def path(self, node_id: str) -> list[CatalogNode]:
        """From the root down to `node_id` (empty when unknown), for breadcrumbs."""
        path: list[CatalogNode] = []
        node = self._by_id.get(node_id)
        while node is not None:
            path.append(node)
            node = self._by_id.get(node.parent) if node.parent is not None else None
        return path[::-1]

    def is_leaf(self, node_id: str) -> bool:
        return not self._children.get(node_id)


BREADCRUMB_SEPARATOR = " › "
ELISION = "…"


def fit_breadcrumb(titles: list[str], width: float, measure: Callable[[str], float]) -> str:
    """The path `titles` (root first) as one line no wider than `width`, as far as it can be.

    Middle levels give way first ("政务公开 › … › 本级"), keeping as many levels next to the current
    one as fit; then the current title is shortened with "…"; the root goes last. `measure` gives the
    drawn width of a string.
    """
    if not titles:
        return ""
    full = BREADCRUMB_SEPARATOR.join(titles)
    if measure(full) <= width:
        return full
    first, last = titles[0], titles[-1]
    kept: list[str] = [last]
    for title in reversed(titles[1:-1]):
        candidate = BREADCRUMB_SEPARATOR.join([first, ELISION, title, *kept])
        if measure(candidate) > width:
            break
        kept.insert(0, title)
    prefix = [first, ELISION] if len(titles) - 1 > len(kept) else [first]
    if len(titles) == 1:
        prefix = []
    line = BREADCRUMB_SEPARATOR.join([*prefix, *kept])
    if measure(line) <= width:
        return line
    for head in (BREADCRUMB_SEPARATOR.join([*prefix, ""]), ""):
        tail = last
        while tail and measure(head + tail + ELISION) > width:
            tail = tail[:-1]
        if tail:
            return head + tail.rstrip() + ELISION
    return ELISION
