"""`catalog`: the disclosure catalogue (公开目录) as a flat list of nodes forming a forest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from pydantic import Field

from feed.schema.common import Id, Model
from feed.schema.rules import Rule
from feed.schema.text import Line, ShortText

Domain = Literal["party", "government", "notice"]  # 党务公开 / 政务公开 / 通知公告
MAX_NODES = 5000
MAX_DEPTH = 8  # levels, a root being level 1: a 基层政务公开标准目录 has two or three


class CatalogNode(Model):
    """One row of a 基层政务公开标准目录-style catalogue."""

    id: Id
    title: ShortText
    parent: Id | None = Field(default=None, description="id of the parent node; none for a root")
    domain: Domain
    order: int = Field(default=0, ge=0, le=100_000, description="siblings are shown by order, then title")
    description: Line = ""
    basis: Line = Field(default="", description="公开依据")
    time_limit: Line = Field(default="", description="公开时限")
    publisher: Line = Field(default="", description="公开主体")
    audience: Line = Field(default="", description="公开对象")


class NodeLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def domain(self) -> str: ...


@dataclass(frozen=True)
class ForestProblem:
    node_id: str  # the node to blame
    message: str


def node_depths(nodes: Sequence[NodeLike]) -> dict[str, int] | ForestProblem:
    """Each node's level (roots are 1), or what makes the nodes no forest of at most MAX_DEPTH levels.

    Linear in the number of nodes: each node is walked once, on the way up from the first node below
    it, and its level is known from then on.
    """
    by_id: dict[str, NodeLike] = {}
    for node in nodes:
        if node.id in by_id:
            return ForestProblem(node.id, f"duplicate catalogue node id {node.id!r}")
        by_id[node.id] = node
    depth: dict[str, int] = {}
    for start in nodes:
        walked: list[NodeLike] = []
        on_walk: set[str] = set()
        node = start
        base = 0
        while node.id not in depth:
            walked.append(node)
            on_walk.add(node.id)
            if node.parent is None:
                break
            parent = by_id.get(node.parent)
            if parent is None:
                return ForestProblem(node.id, f"node {node.id!r} has unknown parent {node.parent!r}")
            if parent.domain != node.domain:
                return ForestProblem(node.id, f"node {node.id!r} is in a different domain from its parent")
            if parent.id in on_walk:
                return ForestProblem(node.id, f"catalogue has a cycle through {node.id!r}")
            node = parent
        else:
            base = depth[node.id]
        for level, below in enumerate(reversed(walked), start=base + 1):
            if level > MAX_DEPTH:
                return ForestProblem(
                    below.id, f"node {below.id!r} is {level} levels deep; a catalogue has at most {MAX_DEPTH}"
                )
            depth[below.id] = level
    return depth


def _forest_violation(catalog: Catalog) -> str | None:
    found = node_depths(catalog.nodes)
    return found.message if isinstance(found, ForestProblem) else None


class Catalog(Model):
    """The catalogue. A feed holds at most one catalog record."""

    kind: Literal["catalog"]
    id: Id
    nodes: list[CatalogNode] = Field(min_length=1, max_length=MAX_NODES)

    RULES = (
        Rule(
            "nodes form a forest: node ids are unique; every parent is the id of another node of the"
            " catalogue, in the same domain; no node is its own ancestor; a node is at most"
            f" {MAX_DEPTH} levels deep (a root is level 1)",
            _forest_violation,
        ),
    )
