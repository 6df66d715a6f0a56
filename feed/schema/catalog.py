"""`catalog`: the disclosure catalogue (公开目录) as a flat list of nodes forming a forest."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from feed.schema.common import Id, Line, Model, ShortText

Domain = Literal["party", "government", "notice"]  # 党务公开 / 政务公开 / 通知公告


class CatalogNode(Model):
    """One row of a 基层政务公开标准目录-style catalogue."""

    id: Id
    title: ShortText
    parent: Id | None = None
    domain: Domain
    order: int = Field(default=0, ge=0, le=100_000)
    description: Line = ""
    basis: Line = Field(default="", description="公开依据")
    time_limit: Line = Field(default="", description="公开时限")
    publisher: Line = Field(default="", description="公开主体")
    audience: Line = Field(default="", description="公开对象")


class Catalog(Model):
    kind: Literal["catalog"] = "catalog"
    id: Id
    nodes: list[CatalogNode] = Field(min_length=1, max_length=5000)

    @model_validator(mode="after")
    def _is_a_forest(self) -> Catalog:
        by_id: dict[str, CatalogNode] = {}
        for node in self.nodes:
            if node.id in by_id:
                raise ValueError(f"duplicate catalogue node id {node.id!r}")
            by_id[node.id] = node
        for node in self.nodes:
            seen = {node.id}
            parent = node.parent
            while parent is not None:
                if parent not in by_id:
                    raise ValueError(f"node {node.id!r} has unknown parent {parent!r}")
                if parent in seen:
                    raise ValueError(f"catalogue has a cycle through {node.id!r}")
                if by_id[parent].domain != node.domain:
                    raise ValueError(f"node {node.id!r} is in a different domain from its parent")
                seen.add(parent)
                parent = by_id[parent].parent
        return self
