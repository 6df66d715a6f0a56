"""好差评 counts for the desk's ratings page, summed by the database (a quarter is tens of thousands of
ratings; the page reads a few thousand sums)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select

from centre.db import engine as db
from centre.db.schema import submissions


@dataclass(frozen=True)
class Counted:
    """How many ratings of one level a group received."""

    key: str  # an hour (`YYYY-MM-DD HH`, UTC), a hall id, a department or a subject id
    title: str
    level: int
    count: int


def by_hour(engine: Engine, since: datetime) -> list[Counted]:
    """Ratings since `since` by UTC hour and level (the page folds hours into local weeks)."""
    hour = db.utc_hour(submissions.c.created_at, engine.dialect.name).label("hour")
    statement = (
        select(hour, submissions.c.level, func.count())
        .where(submissions.c.kind == "rating", submissions.c.created_at >= since)
        .group_by(hour, submissions.c.level)
    )
    with db.read(engine) as conn:
        return [Counted(text, "", int(level), int(count)) for text, level, count in conn.execute(statement)]


UNNAMED_DEPARTMENT = "（未注明部门）"  # ratings from devices that did not send the department yet
RATED_ITEMS = ("guide", "item")  # subjects with a department and a page of their own


@dataclass(frozen=True)
class SubjectCount:
    """How many ratings of one level one subject received in one hall."""

    hall: str
    department: str | None  # a guide's 实施主体 or an item's 公开主体; None for the hall or when not sent
    subject_kind: str | None  # hall | guide | item
    subject_id: str | None
    title: str | None
    level: int
    count: int


def by_subject(engine: Engine, since: datetime) -> list[SubjectCount]:
    """Ratings since `since` by hall, subject and level: one pass over the covering index
    `ix_submissions_rating_facts`, which `halls`, `departments` and `guides` then fold."""
    c = submissions.c
    keys = (c.hall, c.subject_department, c.subject_kind, c.subject_id, c.level)
    statement = (
        select(*keys, func.max(c.subject_title), func.count())
        .where(c.kind == "rating", c.created_at >= since)
        .group_by(*keys)
    )
    with db.read(engine) as conn:
        return [
            SubjectCount(hall, department, kind, subject, title, int(level), int(count))
            for hall, department, kind, subject, level, title, count in conn.execute(statement)
        ]


def halls(counts: Iterable[SubjectCount]) -> list[Counted]:
    return [Counted(n.hall, n.hall, n.level, n.count) for n in counts]


def departments(counts: Iterable[SubjectCount]) -> list[Counted]:
    """Ratings of service guides and disclosure items by the department that serves them; the hall
    as a whole has no department."""
    named = ((n.department or UNNAMED_DEPARTMENT, n) for n in counts if n.subject_kind in RATED_ITEMS)
    return [Counted(name, name, n.level, n.count) for name, n in named]


def guides(counts: Iterable[SubjectCount]) -> list[Counted]:
    """Ratings of service guides and disclosure items by subject (titled by the newest title seen)."""
    return [
        Counted(n.subject_id or "", n.title or n.subject_id or "", n.level, n.count)
        for n in counts
        if n.subject_kind in RATED_ITEMS
    ]
