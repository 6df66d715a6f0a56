"""The 公开目录 tree for browsing: roots per domain, children, breadcrumbs."""

from __future__ import annotations

from feed.schema import Catalog, CatalogNode
from feed.schema.catalog import Domain

DOMAIN_TITLES: dict[str, str] = {"party": "党务公开", "government": "政务公开", "notice": "通知公告"}


class CatalogTree:
    def __init__(self, catalog: Catalog | None) -> None:
        raise NotImplementedError

    def roots(self, domain: Domain) -> list[CatalogNode]:
        raise NotImplementedError

    def children(self, node_id: str) -> list[CatalogNode]:
        raise NotImplementedError

    def node(self, node_id: str) -> CatalogNode | None:
        raise NotImplementedError

    def path(self, node_id: str) -> list[CatalogNode]:
        """From the root down to `node_id` (empty when unknown), for breadcrumbs."""
        raise NotImplementedError

    def is_leaf(self, node_id: str) -> bool:
        raise NotImplementedError
