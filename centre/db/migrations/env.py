"""Alembic's entry point for the centre's migrations.

`centre.db.migrate` runs Alembic in code and hands over an open connection; the `alembic` command
line works too, given `-x url=DATABASE_URL` (for writing a new revision with `--autogenerate`).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from centre.db.schema import metadata


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("give the database with -x url=sqlite:///PATH or -x url=postgresql+psycopg://…")
    with create_engine(url).connect() as connection:
        _migrate(connection)
        connection.commit()


run()
