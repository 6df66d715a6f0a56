"""Creating and upgrading the centre's database with Alembic, from code (`hall-centre init`).

Upgrading is idempotent: a database at the newest revision is left as it is. A database from a newer
release of the centre (a revision this program does not know) is refused, never touched.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine

from feed import FeedError

MIGRATIONS = Path(__file__).with_name("migrations")


class MigrationError(FeedError):
    """The database cannot be brought to the revision this program needs."""


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise MigrationError("the centre's migration scripts are missing")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _known(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(_config()).get_revision(revision) is not None
    except CommandError:
        return False


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Bring the database to `revision`; returns (revision before, revision after)."""
    before = current_revision(engine)
    if before is not None and not _known(before):
        raise MigrationError(
            f"the database is at revision {before}, which this version of hall-centre does not know "
            "(made by a newer release?): refusing to touch it"
        )
    config = _config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except CommandError as exc:
        raise MigrationError(f"cannot migrate the database: {exc}") from exc
    return before, current_revision(engine) or ""


def check_current(engine: Engine) -> None:
    """Raise MigrationError unless the database is at the newest revision (before serving it)."""
    current = current_revision(engine)
    head = head_revision()
    if current != head:
        state = "empty" if current is None else f"at revision {current}"
        raise MigrationError(f"the database is {state}, not {head}: run `hall-centre init --config FILE`")
