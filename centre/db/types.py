"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Dialect, Integer
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC (timestamptz on PostgreSQL, ISO text on SQLite) and always
    read back aware. A naive datetime is refused: the centre never guesses a time zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# JSON documents: binary JSONB on PostgreSQL (smaller, indexable), text on SQLite.
Document: TypeEngine[Any] = JSON().with_variant(JSONB(), "postgresql")
# A 64-bit surrogate key that is SQLite's rowid there (an INTEGER PRIMARY KEY).
RowId: TypeEngine[int] = BigInteger().with_variant(Integer(), "sqlite")
