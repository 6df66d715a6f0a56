"""好差评 counts for the desk's ratings page, summed by the database (a quarter is tens of thousands of
ratings; the page reads a few thousand sums)."""

from __future__ import annotations

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


def by_hall(engine: Engine, since: datetime) -> list[Counted]:
    statement = (
        select(submissions.c.hall, submissions.c.level, func.count())
        .where(submissions.c.kind == "rating", submissions.c.created_at >= since)
        .group_by(submissions.c.hall, submissions.c.level)
    )
    with db.read(engine) as conn:
        return [Counted(hall, hall, int(level), int(count)) for hall, level, count in conn.execute(statement)]


def by_guide(engine: Engine, since: datetime) -> list[Counted]:
    """Ratings of service guides (and disclosure items) by subject and level."""
    statement = (
        select(
            submissions.c.subject_id,
            func.max(submissions.c.subject_title),
            submissions.c.level,
            func.count(),
        )
        .where(
            submissions.c.kind == "rating",
            submissions.c.created_at >= since,
            submissions.c.subject_kind.in_(("guide", "item")),
        )
        .group_by(submissions.c.subject_id, submissions.c.level)
    )
    with db.read(engine) as conn:
        return [
            Counted(subject or "", title or subject or "", int(level), int(count))
            for subject, title, level, count in conn.execute(statement)
        ]


UNNAMED_DEPARTMENT = "（未注明部门）"  # ratings from devices that did not send the department yet


def by_department(engine: Engine, since: datetime) -> list[Counted]:
    """Ratings of service guides and disclosure items by the department that serves them (a guide's
    实施主体, an item's 公开主体) and level; the hall as a whole has no department."""
    department = func.coalesce(submissions.c.subject_department, UNNAMED_DEPARTMENT)
    statement = (
        select(department, submissions.c.level, func.count())
        .where(
            submissions.c.kind == "rating",
            submissions.c.created_at >= since,
            submissions.c.subject_kind.in_(("guide", "item")),
        )
        .group_by(department, submissions.c.level)
    )
    with db.read(engine) as conn:
        return [Counted(name, name, int(level), int(count)) for name, level, count in conn.execute(statement)]
