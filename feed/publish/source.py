"""Load an authoring directory (YAML + media) into validated records and the blobs they reference.

Every problem is reported as `FILE:LINE: message`, pointing at the key the author has to change, and
all problems of a source are collected before anything is refused, so one run lists them all.
The layout is described in docs/authoring.md; in short:

    feed.yaml  hall.yaml  catalog.yaml  items/*.yaml  guides/*.yaml  headlines.yaml  media/…
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from feed.errors import FeedError
from feed.format.limits import DEFAULT_LIMITS, Limits
from feed.format.manifest import MAX_LIFETIME_DAYS
from feed.format.validation import targets_of, unknown_hall, unknown_hall_problem
from feed.publish.media import MediaError, MediaReader
from feed.publish.writer import record_bytes
from feed.publish.yaml_lines import YamlFileError, line_of, read_yaml, start_line, to_plain
from feed.schema import BLOB_FIELDS, Catalog, Record, blobs_of, validate_record_data
from feed.schema.catalog import ForestProblem, node_depths
from feed.schema.common import Id

Loc = tuple[int | str, ...]

REVIEW_RULE = "only reviewed items are published (先审核、后公开)"


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int | None  # 1-based; None when the whole file is at fault (e.g. missing)
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else str(self.file)
        return f"{where}: {self.message}"


class SourceInvalidError(FeedError):
    """The source has problems; nothing was published. `problems` lists every one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")


@dataclass(frozen=True)
class Origin:
    file: Path
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class LoadedSource:
    root: Path
    feed_id: str
    expires_days: int
    records: tuple[Record, ...]
    blobs: dict[str, bytes]
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(record.kind for record in self.records).items()))


class FeedSettings(BaseModel):
    """feed.yaml: settings of the feed as a whole."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)  # YAML numbers stay numbers

    feed_id: Id
    expires_days: int = Field(default=30, ge=1, le=MAX_LIFETIME_DAYS)


@dataclass
class _Entry:
    """One record as written: its file, its YAML node (for lines) and its decoded data."""

    kind: str
    file: Path
    node: CommentedMap
    data: dict[str, Any]
    blamed: list[Loc] = field(default_factory=list)

    @property
    def record_id(self) -> str | None:
        value = self.node.get("id")
        return value if isinstance(value, str) else None

    def line(self, loc: Loc) -> int:
        return line_of(self.node, loc) + 1

    def label(self) -> str:
        return f"{self.kind} {self.record_id!r}" if self.record_id else self.kind


@dataclass(frozen=True)
class _WrittenNode:
    """A catalogue node as written, enough to check the shape of the tree before validation."""

    index: int
    id: str
    parent: str | None
    domain: str


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _is_prefix(short: Loc, long: Loc) -> bool:
    return long[: len(short)] == short


class _Loader:
    def __init__(self, root: Path, limits: Limits) -> None:
        self.root = root
        self.limits = limits
        self.media = MediaReader(root, limits.blob_bytes)
        self.problems: list[Problem] = []

    def problem(self, file: Path, line: int | None, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def blame(self, entry: _Entry, loc: Loc, message: str) -> None:
        """Report a problem found before schema validation, so the schema's echo of it is dropped."""
        entry.blamed.append(loc)
        where = _dotted(loc)
        self.problem(
            entry.file, entry.line(loc), f"{entry.label()}: {where + ': ' if where else ''}{message}"
        )

    # ---------------------------------------------------------------- files

    def read(self, relative: str) -> tuple[Path, Any] | None:
        path = self.root / relative
        try:
            return path, read_yaml(path)
        except YamlFileError as exc:
            self.problem(path, exc.line, exc.message)
            return None

    def settings(self) -> FeedSettings | None:
        path = self.root / "feed.yaml"
        if not path.is_file():
            self.problem(path, None, "missing: the source needs a feed.yaml with at least feed_id")
            return None
        loaded = self.read("feed.yaml")
        if loaded is None:
            return None
        _, node = loaded
        if not isinstance(node, CommentedMap):
            self.problem(path, start_line(node) + 1, "feed.yaml must be a mapping (feed_id: …)")
            return None
        try:
            return FeedSettings.model_validate(to_plain(node))
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                self.problem(path, line_of(node, loc) + 1, f"{_dotted(loc)}: {_message(error)}")
            return None

    def entries(self) -> Iterator[_Entry]:
        for name, kind, many in (("hall", "hall", False), ("catalog", "catalog", False)):
            for path in self._files_named(name):
                yield from self._entries_of(path, kind, many)
        for path in self._files_named("headlines"):
            yield from self._entries_of(path, "headline", True)
        for folder, kind in (("items", "item"), ("guides", "guide")):
            directory = self.root / folder
            if directory.is_dir():
                for path in sorted(directory.iterdir()):
                    if path.suffix in (".yaml", ".yml") and not path.name.startswith(".") and path.is_file():
                        yield from self._entries_of(path, kind, True)

    def _files_named(self, stem: str) -> list[Path]:
        return [p for p in (self.root / f"{stem}.yaml", self.root / f"{stem}.yml") if p.is_file()]

    def _entries_of(self, path: Path, kind: str, many: bool) -> Iterator[_Entry]:
        loaded = self.read(str(path.relative_to(self.root)))
        if loaded is None:
            return
        _, document = loaded
        if document is None:
            if not many:
                self.problem(path, 1, f"file is empty; it should hold one {kind} record")
            return
        if isinstance(document, CommentedSeq):
            if not many:
                self.problem(path, start_line(document) + 1, f"expected one {kind} record, not a list")
                return
            nodes = [(node, int(document.lc.item(i)[0])) for i, node in enumerate(document)]
        else:
            nodes = [(document, start_line(document))]
        for node, line in nodes:
            if not isinstance(node, CommentedMap):
                self.problem(path, line + 1, f"a {kind} record must be a mapping of field: value")
                continue
            yield _Entry(kind=kind, file=path, node=node, data=to_plain(node))

    # ---------------------------------------------------------------- one record

    def validate(self, entry: _Entry) -> Record | None:
        declared = entry.node.get("kind")
        if declared is not None and declared != entry.kind:
            self.blame(entry, ("kind",), f"is {declared!r} but files here hold {entry.kind!r} records")
        entry.data["kind"] = entry.kind
        self._substitute_media(entry)
        if entry.kind == "item":
            self._check_review(entry)
        if entry.kind == "catalog":
            self._check_catalog_nodes(entry)
        try:
            record: Record = validate_record_data(entry.kind, entry.data)
        except ValidationError as exc:
            self._report_schema_errors(entry, exc)
            return None
        except (TypeError, ValueError) as exc:  # a YAML value with no JSON form, such as !!binary
            self.blame(entry, (), f"holds a value that is not text, a number or a boolean ({exc})")
            return None
        if entry.blamed:
            return None
        size = len(record_bytes(record))
        if size > self.limits.record_bytes:
            self.blame(entry, (), f"record is {size} bytes, over the {self.limits.record_bytes} byte limit")
            return None
        return record

    def _report_schema_errors(self, entry: _Entry, exc: ValidationError) -> None:
        for error in exc.errors():
            loc: Loc = tuple(error["loc"])
            if any(_is_prefix(b, loc) or _is_prefix(loc, b) for b in entry.blamed):
                continue  # already reported, more precisely, before validation
            where = _dotted(loc)
            message = f"{entry.label()}: {where + ': ' if where else ''}{_message(error)}"
            self.problem(entry.file, entry.line(loc), message)

    def _substitute_media(self, entry: _Entry) -> None:
        for list_field, blob_field in BLOB_FIELDS.get(entry.kind, ()):
            elements = entry.data.get(list_field)
            if not isinstance(elements, list):
                continue
            for index, element in enumerate(elements):
                if not isinstance(element, dict) or not isinstance(element.get(blob_field), str):
                    continue
                try:
                    element[blob_field] = self.media.read(element[blob_field]).blob_ref()
                except MediaError as exc:
                    self.blame(entry, (list_field, index, blob_field), str(exc))

    def _check_review(self, entry: _Entry) -> None:
        review = entry.node.get("review")
        if review is None:
            self.blame(entry, ("review",), f"has no review record; {REVIEW_RULE}")
            return
        if not isinstance(review, CommentedMap):
            return  # the schema explains the expected shape
        status = review.get("status")
        if status != "approved":
            self.blame(entry, ("review", "status"), f"is {status!r}, not 'approved'; {REVIEW_RULE}")
        if review.get("confidentiality_checked") is not True:
            self.blame(
                entry,
                ("review", "confidentiality_checked"),
                f"the confidentiality review (保密审查) has not passed; {REVIEW_RULE}",
            )

    def _check_catalog_nodes(self, entry: _Entry) -> None:
        """Name the offending node's line, which the model's whole-catalogue check cannot."""
        nodes = entry.node.get("nodes")
        if not isinstance(nodes, CommentedSeq):
            return
        first_line: dict[str, int] = {}
        domains: dict[str, object] = {}
        for index, node in enumerate(nodes):
            if isinstance(node, CommentedMap) and isinstance(node.get("id"), str):
                node_id = node["id"]
                if node_id in first_line:
                    self.blame(
                        entry,
                        ("nodes", index, "id"),
                        f"duplicate catalogue node id {node_id!r} (first at line {first_line[node_id]})",
                    )
                else:
                    first_line[node_id] = entry.line(("nodes", index, "id"))
                    domains[node_id] = node.get("domain")
        for index, node in enumerate(nodes):
            if not isinstance(node, CommentedMap):
                continue
            parent = node.get("parent")
            if parent is None:
                continue
            if parent not in first_line:
                self.blame(entry, ("nodes", index, "parent"), f"unknown parent node {parent!r}")
            elif domains[parent] != node.get("domain"):
                self.blame(
                    entry,
                    ("nodes", index, "domain"),
                    f"is {node.get('domain')!r} but parent {parent!r} is {domains[parent]!r}",
                )
        if not entry.blamed:
            self._check_catalog_shape(entry, nodes)

    def _check_catalog_shape(self, entry: _Entry, nodes: CommentedSeq) -> None:
        """Cycles and depth, by the catalogue's own rule, blamed on the line of the node at fault."""
        written = [
            _WrittenNode(index, node["id"], node.get("parent"), str(node.get("domain")))
            for index, node in enumerate(nodes)
            if isinstance(node, CommentedMap) and isinstance(node.get("id"), str)
        ]
        found = node_depths(written)
        if isinstance(found, ForestProblem):
            index = next(n.index for n in written if n.id == found.node_id)
            self.blame(entry, ("nodes", index, "parent"), found.message)

    # ---------------------------------------------------------------- whole source

    def load(self) -> LoadedSource:
        if not self.root.is_dir():
            raise FeedError(f"{self.root}: not a directory")
        settings = self.settings()
        accepted: list[tuple[_Entry, Record]] = []
        items: list[_Entry] = []
        origins: dict[tuple[str, str], Origin] = {}
        catalog_ok = True
        catalog_nodes: set[str] = set()
        has_catalog = False
        for entry in self.entries():
            record = self.validate(entry)
            if entry.kind == "item":
                items.append(entry)
            if entry.kind == "catalog":
                has_catalog = True
                catalog_ok = catalog_ok and record is not None
                if isinstance(record, Catalog):
                    catalog_nodes |= {node.id for node in record.nodes}
            record_id = entry.record_id
            if record_id is not None:
                origin = Origin(entry.file, entry.line(("id",)))
                first = origins.setdefault((entry.kind, record_id), origin)
                if first is not origin:
                    self.problem(
                        origin.file,
                        origin.line,
                        f"duplicate {entry.kind} id {record_id!r} (first at {first})",
                    )
                    continue
            if record is not None:
                accepted.append((entry, record))
        if catalog_ok:
            self._check_item_nodes(items, catalog_nodes, has_catalog)
        self._check_hall_targets(accepted)
        self._check_blobs(accepted)
        if self.problems:
            raise SourceInvalidError(self.problems)
        assert settings is not None  # a missing or bad feed.yaml is a problem above
        records = tuple(sorted((r for _, r in accepted), key=lambda r: (r.kind, r.id)))
        return LoadedSource(
            root=self.root,
            feed_id=settings.feed_id,
            expires_days=settings.expires_days,
            records=records,
            blobs=self.media.blobs(),
            origins=origins,
        )

    def _check_item_nodes(self, items: list[_Entry], nodes: set[str], has_catalog: bool) -> None:
        """Checked on what was written, so an item with other problems still gets this one reported."""
        for entry in items:
            node = entry.node.get("node")
            if isinstance(node, str) and node not in nodes:
                hint = "" if has_catalog else " (the source has no catalog.yaml)"
                self.blame(entry, ("node",), f"unknown catalogue node {node!r}{hint}")

    def _check_hall_targets(self, accepted: list[tuple[_Entry, Record]]) -> None:
        halls = frozenset(record.id for _, record in accepted if record.kind == "hall")
        for entry, record in accepted:
            found = unknown_hall(targets_of(record), halls)
            if found is not None:
                index, hall = found
                self.blame(entry, ("targets", "halls", index), unknown_hall_problem(hall))

    def _check_blobs(self, accepted: list[tuple[_Entry, Record]]) -> None:
        media = {sha: len(data) for sha, data in self.media.blobs().items()}
        for entry, record in accepted:
            for blob in blobs_of(record):
                if media.get(blob.sha256) != blob.size:
                    self.blame(
                        entry,
                        (),
                        f"blob {blob.sha256[:12]} is not one of the source's media files; "
                        "give a path such as media/form.pdf instead of a hash",
                    )


def _message(error: Any) -> str:
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def load_source(root: Path, limits: Limits = DEFAULT_LIMITS) -> LoadedSource:
    """Load and validate the authoring directory `root`; raise SourceInvalidError listing every problem."""
    return _Loader(root, limits).load()
